/**
 * Integration tests (failsafe, {@code *IT}) against a real Open Liberty server with the WAR deployed, sorted by
 * what they drive: {@code upload} (the upload endpoint, run on two servers), {@code http} (the rest of the API
 * and pages over plain HTTP), {@code server} (in-container, with the application's beans), {@code browser}
 * (headless Chromium), {@code s3} (a server whose storage is S3), and {@code sqlite} and {@code postgresql}
 * (what only one database has; {@code http}, {@code upload} and {@code server} run on both). This package holds what they share:
 * {@link io.teledrop.it.Deployments} (the WAR), {@link io.teledrop.it.TeledropClient} (an HTTP client that
 * takes the server's URL, directory and limits from the system properties the pom sets per execution) and
 * {@link io.teledrop.it.Problems}. Start with {@code TeledropClient}.
 */
package io.teledrop.it;
