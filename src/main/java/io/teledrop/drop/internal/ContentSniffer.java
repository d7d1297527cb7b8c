package io.teledrop.drop.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.tika.Tika;

/**
 * The content type of an upload as its bytes say (Apache Tika's magic numbers, the filename as a hint
 * where the bytes are not telling), never as the client claims.
 */
final class ContentSniffer {

    /** Thread-safe; loading its type registry is the costly part, so once. */
    private static final Tika TIKA = new Tika();

    private ContentSniffer() {
    }

    /**
     * Reads the first bytes of {@code stream}, which must support mark/reset, and resets it: the caller
     * then stores the whole stream. The caller keeps ownership of the stream.
     */
    static String detect(InputStream stream, String filename) throws IOException {
        if (!stream.markSupported()) {
            throw new IllegalArgumentException("detection needs a stream that can reset");
        }
        return TIKA.detect(stream, filename);
    }
}
