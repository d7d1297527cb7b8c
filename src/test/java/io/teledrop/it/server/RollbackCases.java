package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropService;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollback cases, run inside the server with the application's own beans: a metadata transaction that rolls back after
 * its blobs were written must leave no blob behind, whatever made it fail.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class RollbackCases {

    @Inject
    DropService drops;

    @Inject
    BlobStore blobs;

    @Test
    void slugCollisionAtCommitRemovesTheLosersBlobs() throws Exception {
        String slug = "rb-" + UUID.randomUUID().toString().substring(0, 8);
        PutResult winnerBlob = store("winner");
        CreatedDrop winner = drops.create(new NewDrop(slug, null, null), List.of(new NewFile("w.txt", "text/plain", winnerBlob)));
        PutResult loserBlob = store("loser one");
        PutResult loserBlob2 = store("loser two");
        assertTrue(blobs.stat(loserBlob.key()).isPresent());

        // create() skips the early availability check, so the UNIQUE constraint decides at flush time.
        assertThrows(SlugTakenException.class, () -> drops.create(new NewDrop(slug, null, null),
                List.of(new NewFile("l1.txt", "text/plain", loserBlob), new NewFile("l2.txt", "text/plain", loserBlob2))));

        assertFalse(blobs.stat(loserBlob.key()).isPresent());
        assertFalse(blobs.stat(loserBlob2.key()).isPresent());
        assertTrue(blobs.stat(winnerBlob.key()).isPresent());
        assertEquals(List.of("w.txt"), drops.find(winner.drop().slug()).orElseThrow().files().stream().map(f -> f.name()).toList());
    }

    @Test
    void databaseFailureAfterTheBlobWasWrittenRemovesIt() throws Exception {
        PutResult blob = store("doomed");
        // The same storage key twice breaks the UNIQUE constraint on stored_files.storage_key inside the insert.
        NewFile first = new NewFile("a.txt", "text/plain", blob);
        NewFile duplicate = new NewFile("b.txt", "text/plain", blob);

        assertThrows(PersistenceException.class, () -> drops.create(new NewDrop(null, null, null), List.of(first, duplicate)));

        assertFalse(blobs.stat(blob.key()).isPresent());
    }

    private PutResult store(String text) throws Exception {
        return blobs.put(BlobKeys.newKey(), new ByteArrayInputStream(text.getBytes()), 1024);
    }
}
