package io.teledrop.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The body of a raw {@code PUT /api/uploads/{filename}} seen as the one file part of a form, so that raw
 * and multipart uploads take the same path. Its name is {@code file}, its submitted file name the one in
 * the URL; its headers are the request's entity headers. {@code getSize} is the declared
 * {@code Content-Length} (-1 if none; a shorter body fails when read); {@code write} streams the body into a
 * file, and {@code delete} deletes that file (the unread body is the container's, which discards it).
 */
final class RawBodyPart extends ArrivingPart {

    /** The request headers that describe the body rather than the request. */
    private static final Set<String> ENTITY_HEADERS = Set.of("content-type", "content-length", "content-disposition", "content-encoding");

    private final HttpServletRequest request;
    private final String submittedFileName;
    private final InputStream body;

    RawBodyPart(HttpServletRequest request, String submittedFileName, Path location) throws IOException {
        super(location);
        this.request = request;
        this.submittedFileName = submittedFileName;
        // Not closed here: the container owns the request stream.
        this.body = new ClientBody(request.getInputStream(), request.getContentLengthLong());
    }

    @Override
    InputStream body() {
        return body;
    }

    @Override
    long sizeOfBody() {
        return request.getContentLengthLong();
    }

    @Override
    void discardBody() {
        // The unread body is the container's, which discards it (or closes the connection).
    }

    @Override
    public String getContentType() {
        return request.getContentType();
    }

    @Override
    public String getName() {
        return "file";
    }

    @Override
    public String getSubmittedFileName() {
        return submittedFileName;
    }

    @Override
    public String getHeader(String name) {
        return isEntityHeader(name) ? request.getHeader(name) : null;
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return isEntityHeader(name) ? Collections.list(request.getHeaders(name)) : List.of();
    }

    @Override
    public Collection<String> getHeaderNames() {
        return Collections.list(request.getHeaderNames()).stream().filter(RawBodyPart::isEntityHeader).toList();
    }

    private static boolean isEntityHeader(String name) {
        return ENTITY_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }
}
