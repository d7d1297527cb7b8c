/**
 * The S3 {@code BlobStore} on AWS SDK v2: single or multipart puts, conditional writes, ranged reads, presigned
 * downloads, and stagings (resumable uploads) as multipart uploads described by a {@code StagingHandle}. Start
 * with {@code S3BlobStore}.
 */
package io.teledrop.storage.s3;
