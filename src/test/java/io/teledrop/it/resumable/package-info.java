/**
 * Resumable uploads (tus 1.0, IETF Resumable Uploads for HTTP) through the real server: by hand over HTTP,
 * and with real clients (tus-java-client, tus-js-client under Node, curl), compared with @tus/server.
 */
package io.teledrop.it.resumable;
