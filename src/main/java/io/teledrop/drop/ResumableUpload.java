package io.teledrop.drop;

import java.time.Instant;
import java.util.Optional;

/**
 * A resumable upload as its client sees it.
 *
 * @param id          the upload's id, which its URL names
 * @param dropSlug    the drop its file joins
 * @param length      the file's length, or null while unknown
 * @param offset      how many bytes are in, all durable
 * @param expires     when it goes if it is not continued
 * @param deleteToken the new drop's delete token, only in the answer that created both; else null
 * @param file        the finished file, once the last byte is in
 * @param interrupted whether the request that answered this ended because its client went away
 * @param metadata    tus' Upload-Metadata as sent, without secrets; null if none
 */
public record ResumableUpload(String id, String dropSlug, Long length, long offset, Instant expires, String deleteToken,
                              Optional<CompletedFile> file, boolean interrupted, String metadata) {

    public boolean complete() {
        return file.isPresent();
    }

    /** The file an upload became. */
    public record CompletedFile(String fileId, String name, long size, String contentType, String sha256) {
    }
}
