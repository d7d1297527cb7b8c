package io.teledrop.storage;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Where a client sends the parts of a presigned upload itself: part {@code n} (from 1) is {@code urls.get(n - 1)},
 * an HTTP {@code PUT} of exactly {@link #partLength(int)} bytes; S3 answers each with the part's {@code ETag}.
 *
 * @param partSize the bytes of every part but the last
 * @param size     the whole file's bytes
 * @param urls     one presigned URL per part, in order
 * @param expires  when the URLs stop working
 */
public record PresignedParts(long partSize, long size, List<URI> urls, Instant expires) {

    public PresignedParts {
        urls = List.copyOf(urls);
    }

    /** The bytes of part {@code number} (1-based). */
    public long partLength(int number) {
        return partLength(partSize, size, number);
    }

    /** How many parts a file of {@code size} bytes has at {@code partSize}: at least one (an empty file is one empty part). */
    public static int partCount(long partSize, long size) {
        return (int) Math.max(1, size / partSize + (size % partSize == 0 ? 0 : 1));
    }

    /** The bytes of part {@code number} (1-based) of a file of {@code size} bytes in parts of {@code partSize}. */
    public static long partLength(long partSize, long size, int number) {
        return Math.min(partSize, size - (number - 1) * partSize);
    }
}
