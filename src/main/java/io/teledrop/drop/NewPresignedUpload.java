package io.teledrop.drop;

/**
 * What a client asks for when it creates a presigned upload.
 *
 * @param fileName     the name the client sent, untrusted (sanitized like any upload's)
 * @param size         the file's exact length in bytes
 * @param sha256       the SHA-256 the client declares (hex), checked at completion; null if none
 * @param contentType  the type the client expects, checked early against the allowed types; the type that counts
 *                     is sniffed from the object's bytes at completion. Null if none
 * @param drop         the fields of the drop to create; ignored when {@code existingDrop} is set
 * @param existingDrop the slug of a drop to add the file to, or null to create one
 * @param access       what the request brings: its API key's permissions and, for an existing drop, its delete token
 * @param client       the client's address, for the limit of incomplete uploads per client
 * @param uploader     who creates it (its sign-in subject or API key, as the web layer names it): only the same
 *                     uploader may complete or cancel it
 */
public record NewPresignedUpload(String fileName, long size, String sha256, String contentType, NewDrop drop, String existingDrop,
                                 Access access, String client, String uploader) {
}
