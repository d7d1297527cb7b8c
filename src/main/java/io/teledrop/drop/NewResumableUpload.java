package io.teledrop.drop;

/**
 * What a client asks for when it creates a resumable upload.
 *
 * @param fileName     the name the client sent, untrusted (sanitized like any upload's)
 * @param length       the file's length, or null while the client does not know it yet
 * @param drop         the fields of the drop to create; ignored when {@code existingDrop} is set
 * @param existingDrop the slug of a drop to add the file to, or null to create one
 * @param access       what the request brings: its API key's permissions and, for an existing drop, its delete token
 * @param client       the client's address, for the limit of incomplete uploads per client
 * @param metadata     tus' Upload-Metadata to echo on HEAD, secrets left out; null if none
 */
public record NewResumableUpload(String fileName, Long length, NewDrop drop, String existingDrop, Access access, String client,
                                 String metadata) {
}
