package io.teledrop.drop;

/** Presigned uploads need S3 storage; this server keeps its files elsewhere (404). */
public class PresignedUploadsUnavailableException extends TeledropException {

    public PresignedUploadsUnavailableException() {
        super("This server stores files on its own disk, so clients cannot send them to S3 directly; presigned uploads need "
                + "teledrop.storage.type=s3. Upload through the server instead (POST /api/uploads or a resumable upload).");
    }
}
