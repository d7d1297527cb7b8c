package io.teledrop.faults;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Files of known size and content for the fault tests: made on the fly from a seed, never held in memory. */
final class Uploads {

    private Uploads() {
    }

    /** One planned upload; {@code multipart} picks POST /api/uploads over PUT /api/uploads/{name}. */
    record Planned(String slug, String name, long size, long seed, boolean multipart, String sha256) {

        HttpRequest request(URI base) {
            if (!multipart) {
                HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> content(seed, size)), size);
                return HttpRequest.newBuilder(base.resolve("api/uploads/" + name)).header("Teledrop-Slug", slug).PUT(body).build();
            }
            String boundary = "fault-campaign-" + seed;
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\n" + slug + "\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            long length = head.length + size + tail.length;
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head), content(seed, size)),
                            new ByteArrayInputStream(tail))), length);
            return HttpRequest.newBuilder(base.resolve("api/uploads")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(body).build();
        }
    }

    /** Plans an upload, hashing its content once. */
    static Planned plan(String slug, String name, long size, long seed, boolean multipart) {
        try (InputStream in = content(seed, size)) {
            return new Planned(slug, name, size, seed, multipart, sha256(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static InputStream content(long seed, long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = size;
            private long word;
            private int wordBytes;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    if (wordBytes == 0) {
                        word = random.nextLong();
                        wordBytes = 8;
                    }
                    b[off + i] = (byte) word;
                    word >>>= 8;
                    wordBytes--;
                }
                left -= n;
                return n;
            }
        };
    }

    /** The SHA-256 of what {@code in} yields, in hex. */
    static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
