/**
 * Implementations of the domain's use cases: {@code DefaultDropService} (rules and queries), {@code DropWriter}
 * (the short write-first transactions), {@code DownloadGrants} (download slots and resume grants),
 * {@code PasswordAttempts} (guessing limits), all enforced in the database. May import {@code drop},
 * {@code storage} and {@code config}. Start with {@code DefaultDropService}.
 */
package io.teledrop.drop.internal;
