package io.teledrop.web.servlet;

import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What {@link StreamingParts}' parts and {@link RawBodyPart} share: a {@link Part} whose bytes are still
 * arriving, read once from the request, until {@link #write} streams the rest into a file, which from then on
 * stands in for the body ({@code getInputStream}, {@code getSize}, a second {@code write}, {@code delete}).
 * A relative file name is resolved against the multipart location. Not thread-safe: one request's.
 */
abstract class ArrivingPart implements Part {

    private final Path location;
    private Path written;

    ArrivingPart(Path location) {
        this.location = location;
    }

    /** The part's unread body, straight off the request. */
    abstract InputStream body() throws IOException;

    /** The body's size before it was written to a file: -1 when not known. */
    abstract long sizeOfBody();

    /** Lets go of the unread rest of the body, for {@link #delete} of a part never written. */
    abstract void discardBody() throws IOException;

    @Override
    public final InputStream getInputStream() throws IOException {
        return written != null ? Files.newInputStream(written) : body();
    }

    @Override
    public final long getSize() {
        if (written == null) {
            return sizeOfBody();
        }
        try {
            return Files.size(written);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public final void write(String fileName) throws IOException {
        Path target = location.resolve(fileName);
        if (written != null) {
            Files.copy(written, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.copy(body(), target, StandardCopyOption.REPLACE_EXISTING);
        }
        written = target;
    }

    @Override
    public final void delete() throws IOException {
        if (written != null) {
            Files.deleteIfExists(written);
            written = null;
        } else {
            discardBody();
        }
    }
}
