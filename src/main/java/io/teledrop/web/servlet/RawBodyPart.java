package io.teledrop.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
final class RawBodyPart implements Part {

    /** The request headers that describe the body rather than the request. */
    private static final Set<String> ENTITY_HEADERS = Set.of("content-type", "content-length", "content-disposition", "content-encoding");

    private final HttpServletRequest request;
    private final String submittedFileName;
    private final Path location;
    private final InputStream body;
    private Path written;

    RawBodyPart(HttpServletRequest request, String submittedFileName, Path location) throws IOException {
        this.request = request;
        this.submittedFileName = submittedFileName;
        this.location = location;
        // Not closed here: the container owns the request stream.
        this.body = new ClientBody(request.getInputStream(), request.getContentLengthLong());
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return written != null ? Files.newInputStream(written) : body;
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
    public long getSize() {
        return request.getContentLengthLong();
    }

    @Override
    public void write(String fileName) throws IOException {
        Path target = location.resolve(fileName);
        if (written != null) {
            Files.copy(written, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        written = target;
    }

    @Override
    public void delete() throws IOException {
        if (written != null) {
            Files.deleteIfExists(written);
            written = null;
        }
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
