package io.teledrop.storage.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an S3 staging's handle ({@link io.teledrop.storage.Staging#handle()}) says: the multipart upload on the
 * final object key, how many parts (numbered 1..parts) and bytes it holds, a fingerprint of those parts' ETags,
 * and the tail object with the bytes after the parts (fewer than a part), if any.
 *
 * <p>Written as {@code p=<parts>;b=<bytes in parts>;e=<fingerprint>;t=<tail or ->;u=<upload id>}: the upload id
 * comes last and runs to the end, since S3 does not promise which characters it holds.
 *
 * @param uploadId    the multipart upload
 * @param parts       parts 1..parts belong to the staging; higher numbers are leftovers of unrecorded appends
 * @param partBytes   the bytes in those parts
 * @param fingerprint 16 hex characters chained over the ETags of parts 1..parts in order ({@link #withPart}):
 *                    completion compares it with what S3 lists, so a part overwritten by an append that lost
 *                    its lock is found before it becomes part of a blob
 * @param tail        the tail object's name, {@code <start offset>-<random>}, or null; never reused, so an
 *                    append never overwrites a tail that another staging references
 */
record StagingHandle(String uploadId, int parts, long partBytes, String fingerprint, String tail) {

    static final String NO_PARTS = "0".repeat(16);

    private static final Pattern FORMAT = Pattern.compile("p=(\\d{1,5});b=(\\d{1,19});e=([0-9a-f]{16});t=(\\d{1,19}-[0-9a-f]{8}|-);u=(.+)", Pattern.DOTALL);

    StagingHandle {
        if (uploadId == null || uploadId.isEmpty()) {
            throw new IllegalArgumentException("a staging needs its multipart upload id");
        }
        if (parts < 0 || partBytes < 0 || (parts == 0) != (partBytes == 0)) {
            throw new IllegalArgumentException("no staging holds " + parts + " parts of " + partBytes + " bytes");
        }
    }

    /** A staging that has just begun: the upload, nothing in it. */
    static StagingHandle begun(String uploadId) {
        return new StagingHandle(uploadId, 0, 0, NO_PARTS, null);
    }

    static StagingHandle parse(String handle) {
        Matcher m = FORMAT.matcher(handle);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an S3 staging handle: " + (handle.length() > 80 ? handle.substring(0, 80) + "…" : handle));
        }
        return new StagingHandle(m.group(5), Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
                m.group(4).equals("-") ? null : m.group(4));
    }

    String format() {
        return "p=" + parts + ";b=" + partBytes + ";e=" + fingerprint + ";t=" + (tail == null ? "-" : tail) + ";u=" + uploadId;
    }

    /** After part {@code parts + 1} of {@code size} bytes went up with {@code etag}; the tail went into it. */
    StagingHandle withPart(long size, String etag) {
        return new StagingHandle(uploadId, parts + 1, partBytes + size, chain(fingerprint, etag), null);
    }

    StagingHandle withTail(String newTail) {
        return new StagingHandle(uploadId, parts, partBytes, fingerprint, newTail);
    }

    /** The fingerprint after one more part: servers differ in quoting ETags, so quotes do not count. */
    static String chain(String fingerprint, String etag) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(fingerprint.getBytes(StandardCharsets.US_ASCII));
            sha256.update(etag.replace("\"", "").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }
}
