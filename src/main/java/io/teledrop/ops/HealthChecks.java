package io.teledrop.ops;

import io.teledrop.config.DataSize;
import io.teledrop.config.Settings;
import io.teledrop.drop.StorageLedger;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness: the database answers, the blob store takes a write and has
 * {@code teledrop.health.min-free-space} left. Liveness and startup are Liberty's own: the application
 * only starts once its configuration is valid and its schema migrated.
 */
@ApplicationScoped
public class HealthChecks {

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    BlobStore blobs;

    @Inject
    Settings settings;

    @Inject
    StorageLedger ledger;

    @Produces
    @Readiness
    HealthCheck database() {
        return () -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(5);
                statement.execute("SELECT 1 FROM drops LIMIT 1");
                return HealthCheckResponse.up("database");
            } catch (SQLException e) {
                return HealthCheckResponse.named("database").down().withData("error", e.getClass().getSimpleName()).build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck storage() {
        return () -> {
            StorageState state = probeStorage(blobs, settings.minFreeSpace());
            return HealthCheckResponse.named("storage").status(state.ready())
                    .withData("writable", state.writable())
                    .withData("freeBytes", state.freeBytes().orElse(-1))
                    .withData("minFree", DataSize.format(settings.minFreeSpace()))
                    // Lost files do not make the server unready (it serves everything else), but operators see them here.
                    .withData("missingFiles", missingFiles()).build();
        };
    }

    /**
     * The count of files whose bytes are lost, or -1 while the database cannot say (its own check is DOWN then;
     * the query fails at once, as drop.internal.DatabaseFailFast turned EclipseLink's retries off).
     */
    private long missingFiles() {
        try {
            return ledger.missingCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** What the storage probe found. */
    record StorageState(boolean writable, OptionalLong freeBytes, boolean ready) {
    }

    /** A real write and delete of a tiny probe blob, so a read-only or vanished disk shows here first. */
    static StorageState probeStorage(BlobStore blobs, long minFreeSpace) {
        String probe = "health/" + BlobKeys.newKey().replace('/', '-');
        try {
            blobs.put(probe, new ByteArrayInputStream(new byte[] {1}), 1);
            blobs.delete(probe);
            OptionalLong free = blobs.usableSpace();
            return new StorageState(true, free, free.isEmpty() || free.getAsLong() >= minFreeSpace);
        } catch (IOException | RuntimeException e) {
            return new StorageState(false, OptionalLong.empty(), false);
        }
    }
}
