/**
 * Resumable uploads (tus 1.0, IETF Resumable Uploads for HTTP) through the real server: by hand over HTTP,
 * and with real clients (tus-java-client, tus-js-client under Node, curl), compared with @tus/server.
 * {@link io.teledrop.it.resumable.Resumable} sends the protocols' requests by hand, for the tests of other
 * packages too (S3, faults, cluster).
 */
package io.teledrop.it.resumable;
