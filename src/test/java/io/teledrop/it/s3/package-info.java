/**
 * Tests against S3 (S3Proxy, which the build starts on a free port), run by the {@code s3-integration-tests}
 * failsafe execution: {@code S3BlobStoreIT} drives {@code S3BlobStore} directly with the {@code BlobStore}
 * contract; {@code S3StorageIT} (black-box) and {@code S3RollbackIT} (in-container) run against
 * {@code teledrop-it-s3}, a server whose storage is S3 with presigned downloads. Start with {@code S3StorageIT}.
 */
package io.teledrop.it.s3;
