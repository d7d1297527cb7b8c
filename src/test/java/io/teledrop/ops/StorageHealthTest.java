package io.teledrop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.storage.local.LocalBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage readiness probe on a real folder: a write probe and the free-space threshold. */
class StorageHealthTest {

    @TempDir
    Path root;

    @Test
    void readyWithEnoughSpaceAndNotReadyBelowTheThreshold() {
        LocalBlobStore store = new LocalBlobStore(root, true);

        HealthChecks.StorageState enough = HealthChecks.probeStorage(store, 1024);
        HealthChecks.StorageState tooLittle = HealthChecks.probeStorage(store, Long.MAX_VALUE);

        assertTrue(enough.writable() && enough.ready());
        assertTrue(enough.freeBytes().getAsLong() > 0);
        assertTrue(tooLittle.writable());
        assertFalse(tooLittle.ready());
    }

    @Test
    void aStoreThatCannotBeWrittenIsNotReady() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, true);
        // Remove the staging folder and put a file in its place: every write now fails.
        Files.delete(root.resolve(".tmp"));
        Files.writeString(root.resolve(".tmp"), "in the way");

        HealthChecks.StorageState state = HealthChecks.probeStorage(store, 1024);

        assertFalse(state.writable());
        assertFalse(state.ready());
    }

    @Test
    void theProbeLeavesNothingBehind() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root, true);

        HealthChecks.probeStorage(store, 1024);

        assertEquals(0, store.list("", null, 10).size());
    }
}
