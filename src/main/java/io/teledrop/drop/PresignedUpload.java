package io.teledrop.drop;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A presigned upload as created: where each part goes. Part {@code n} (from 1) is an HTTP {@code PUT} of exactly
 * {@code partSize} bytes (the last part: what is left) to {@code partUrls.get(n - 1)}, until {@code expires}.
 *
 * @param deleteToken the new drop's delete token (shown once), or null when the file goes into an existing drop
 */
public record PresignedUpload(String id, String dropSlug, long size, long partSize, List<URI> partUrls, Instant expires, String deleteToken) {

    public PresignedUpload {
        partUrls = List.copyOf(partUrls);
    }
}
