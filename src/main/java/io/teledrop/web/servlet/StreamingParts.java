package io.teledrop.web.servlet;

import io.teledrop.web.servlet.MultipartReader.PartHead;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parts read straight off the request by {@link MultipartReader}: nothing is spooled, a file part's bytes
 * go to storage as they arrive. Each {@link Part} follows the Servlet Javadoc for a part whose bytes are
 * still arriving:
 * <ul>
 * <li>{@code getInputStream} gives the part's body, which can be read until the next part is asked for
 * (after that it throws); after {@code write}, it reads the written file.</li>
 * <li>{@code getSize} is the body's size once its end is in sight: at once for a part that fits the reader's
 * 64 KiB buffer (form fields, small files), otherwise -1 until the body has been read to its end.</li>
 * <li>{@code write} streams the rest of the body into a file (a relative name is resolved against the
 * multipart location); {@code delete} discards the unread rest of the body, or deletes the written file.</li>
 * <li>{@code getHeader}, {@code getHeaders}, {@code getHeaderNames}: the part's own headers, names compared
 * ignoring case; {@code getContentType} is its {@code Content-Type} header as sent (never trusted).</li>
 * </ul>
 */
final class StreamingParts implements PartSource {

    private final MultipartReader reader;
    private final Path location;

    /**
     * @param reader   the request body's reader
     * @param location where {@link Part#write} puts a relative file name (the multipart location)
     */
    StreamingParts(MultipartReader reader, Path location) {
        this.reader = reader;
        this.location = location;
    }

    @Override
    public Optional<Part> next() throws IOException {
        Optional<PartHead> head = reader.next();
        return head.map(h -> new StreamingPart(h, reader.body()));
    }

    @Override
    public boolean bodyFullyRead() {
        return reader.finished();
    }

    @Override
    public void close() {
        // Nothing is held: the unread rest of the body belongs to the request, which the container discards.
    }

    private final class StreamingPart extends ArrivingPart {
        private final PartHead head;
        private final InputStream body;

        StreamingPart(PartHead head, InputStream body) {
            super(location);
            this.head = head;
            this.body = body;
        }

        @Override
        InputStream body() throws IOException {
            if (!reader.isCurrent(body)) {
                throw new IOException("the bytes of part '" + head.name() + "' are gone: a streaming part can be read only until the next part is asked for");
            }
            return body;
        }

        @Override
        long sizeOfBody() {
            try {
                return reader.isCurrent(body) ? reader.knownSize() : -1;
            } catch (IOException e) {
                // A broken body surfaces when it is read; its size is simply not known.
                return -1;
            }
        }

        @Override
        void discardBody() throws IOException {
            if (reader.isCurrent(body)) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        }

        @Override
        public String getContentType() {
            return getHeader("Content-Type");
        }

        @Override
        public String getName() {
            return head.name();
        }

        @Override
        public String getSubmittedFileName() {
            return head.filename();
        }

        @Override
        public String getHeader(String name) {
            List<String> values = head.headers().get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return head.headers().getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public Collection<String> getHeaderNames() {
            return head.headers().keySet();
        }

    }
}
