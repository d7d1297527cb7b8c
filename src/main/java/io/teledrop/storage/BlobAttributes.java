package io.teledrop.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What a store may keep beside a blob's bytes where it can (an object store's {@code Content-Type} and user
 * metadata), so that the bucket alone still says what a file is. Nothing reads them back: the database is the
 * record of a file's type and name.
 *
 * @param contentType the type detected from the file's bytes
 * @param metadata    short ASCII names and values (S3 user metadata travels in HTTP headers)
 */
public record BlobAttributes(String contentType, Map<String, String> metadata) {

    /** For blobs nobody has typed: {@code application/octet-stream}, no metadata. */
    public static final BlobAttributes NONE = new BlobAttributes("application/octet-stream", Map.of());

    /**
     * The most a file name takes in metadata, encoded: S3 allows 2 KB of user metadata per object, and a name of
     * 255 characters may need 3 KB percent-encoded (nine bytes a CJK character, twelve an emoji).
     */
    static final int MAX_ENCODED_NAME = 1024;

    public BlobAttributes {
        Objects.requireNonNull(contentType, "contentType");
        metadata = Map.copyOf(metadata);
    }

    /** {@code type}, and the file's name percent-encoded as UTF-8 (RFC 3986), cut at a character to fit {@value #MAX_ENCODED_NAME} bytes. */
    public static BlobAttributes of(String type, String fileName) {
        return new BlobAttributes(type, Map.of("filename", encodedName(fileName)));
    }

    static String encodedName(String name) {
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            // URLEncoder writes a space as '+' (forms); a percent-encoded name says %20.
            String one = URLEncoder.encode(new String(Character.toChars(codePoint)), StandardCharsets.UTF_8).replace("+", "%20");
            if (encoded.length() + one.length() > MAX_ENCODED_NAME) {
                break;
            }
            encoded.append(one);
            i += Character.charCount(codePoint);
        }
        return encoded.toString();
    }
}
