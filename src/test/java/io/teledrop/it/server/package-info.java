/**
 * In-container tests: Arquillian adds the test class to the WAR and runs it inside {@code teledrop-it} (default
 * failsafe execution), and again inside {@code teledrop-it-pg} (the PostgreSQL execution), where it injects the application's own beans (the drop service, the blob store, the
 * sweep, the reconciliation, the data source). The helpers of {@code io.teledrop.it} are not in the WAR, so
 * only the {@code @Deployment} method, which runs outside, may use them. {@code RollbackCases} is shared with
 * {@code io.teledrop.it.s3.S3RollbackIT}. Start with {@code RollbackCases}.
 */
package io.teledrop.it.server;
