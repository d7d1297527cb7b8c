package io.teledrop.config;

/** Who parses a multipart upload ({@code teledrop.upload.multipart}). */
public enum MultipartParser {
    /** Teledrop's own reader: each part's bytes go to storage as they arrive, nothing is spooled. The default. */
    STREAMING,
    /** The servlet container ({@code request.getParts()}), which spools every part to its multipart location first. */
    CONTAINER
}
