package io.teledrop.web.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's own parts ({@code request.getParts()}, as {@code @MultipartConfig} on the servlet
 * allows): the container reads the whole body and spools each part to the multipart location before the
 * first is handed out. Each part's spooled file is deleted as soon as the next part is asked for.
 */
final class ContainerParts implements PartSource {

    private static final Logger LOG = Logger.getLogger(ContainerParts.class.getName());

    private final List<Part> parts;
    private final Iterator<Part> remaining;
    private Part current;

    private ContainerParts(List<Part> parts) {
        this.parts = parts;
        this.remaining = parts.iterator();
    }

    /**
     * Has the container parse the request body.
     *
     * @throws MultipartReader.MalformedMultipartException if the container cannot parse it
     * @throws ClientBody.BrokenTransferException          if the body broke off while it was read
     */
    static ContainerParts of(HttpServletRequest request) throws IOException {
        try {
            return new ContainerParts(new ArrayList<>(request.getParts()));
        } catch (ServletException | IllegalStateException e) {
            throw new MultipartReader.MalformedMultipartException(e.getMessage() == null ? "the container could not parse it" : e.getMessage());
        } catch (IOException e) {
            // The container read the body itself: a failure here is the body's framing or the client's connection.
            if (isMalformed(e)) {
                throw new MultipartReader.MalformedMultipartException("the body ends inside a part, or breaks the multipart framing");
            }
            throw new ClientBody.BrokenTransferException(e.getMessage() == null ? "the body could not be read" : e.getMessage(), e);
        }
    }

    /**
     * Whether the container's parser (Commons FileUpload inside Liberty) found the framing broken: its
     * {@code MalformedStreamException} somewhere in the causes, as opposed to the connection failing.
     */
    private static boolean isMalformed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().equals("MalformedStreamException")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Part> next() {
        deleteQuietly(current);
        current = remaining.hasNext() ? remaining.next() : null;
        return Optional.ofNullable(current);
    }

    @Override
    public boolean bodyFullyRead() {
        return true;
    }

    @Override
    public void close() {
        parts.forEach(ContainerParts::deleteQuietly);
    }

    private static void deleteQuietly(Part part) {
        if (part == null) {
            return;
        }
        try {
            part.delete();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not delete the container's spooled copy of part " + part.getName());
        }
    }
}
