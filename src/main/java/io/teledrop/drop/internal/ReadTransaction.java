package io.teledrop.drop.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * Runs a read in a short transaction of its own, so that its connection goes back to the pool as soon as the
 * read is done. Outside a transaction Liberty keeps the connection of a request's first query until the
 * request ends (local transaction containment); a request that read that way and then opened its write
 * transaction held one connection while it waited for a second, and 16 parallel deletions of one file with
 * a pool of 8 waited on each other until the pool's timeout (J2CA0045E, answered 500). With this, a request
 * holds one connection at a time. Only for reads: a write transaction must start with its write (see
 * {@link DropWriter}). The beans that read through JPA ({@link DropQueries}, {@link JpaStorageLedger},
 * {@link ResumableWriter}, {@link PasswordAttempts}, {@link DownloadGrants}, {@link DefaultApiKeyService}) are
 * {@code @Transactional} for the same reason, so a read through them never runs outside a transaction; a
 * server whose pool has one connection runs every integration test (how this was checked).
 */
@ApplicationScoped
class ReadTransaction {

    /** The result of {@code read}, run in a transaction of its own; exceptions pass through unchanged. */
    @Transactional
    <T> T read(Supplier<T> read) {
        return read.get();
    }
}
