package io.teledrop.web.servlet;

import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the upload servlet gets a multipart request's {@link Part}s: {@link StreamingParts} (read off the
 * request as they arrive) or {@link ContainerParts} (the container's {@code request.getParts()}, spooled
 * first). Everything after it works on {@code Part} alone, so both give the same answers.
 * <p>
 * One request thread uses it. A part returned by {@link #next()} may be read only until the next call.
 */
interface PartSource extends AutoCloseable {

    /** The next part, or empty after the last one. */
    Optional<Part> next() throws IOException;

    /** Whether the whole request body has been read, so the connection can serve another request. */
    boolean bodyFullyRead();

    /** Frees what the parts still hold (the container's spooled files). Never throws. */
    @Override
    void close();

}
