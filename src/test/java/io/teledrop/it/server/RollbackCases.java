package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.Access;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropService;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import io.teledrop.it.Sql;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.it.TestUploads;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobStore;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollback cases, run inside the server with the application's own beans: an upload whose drop is never
 * recorded, whether refused before its transaction or rolled back in it, must leave no blob behind.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class RollbackCases {

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Test
    void slugCollisionAtCommitRemovesTheLosersBlobs() throws Exception {
        String slug = "rb-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> before = allKeys();
        CreatedDrop winner;
        try (UploadSession loser = uploads.begin(Access.anonymous())) {
            loser.validate(new NewDrop(slug, null, null)); // free when checked
            stage(loser, "l1.txt", "loser one");
            stage(loser, "l2.txt", "loser two");
            winner = TestUploads.create(uploads, new NewDrop(slug, null, null), TestFile.text("w.txt", "winner"));
            // The UNIQUE constraint decides at flush time, inside the loser's transaction.
            assertThrows(SlugTakenException.class, () -> loser.createDrop(new NewDrop(slug, null, null)));
        }
        assertEquals(Set.of(winner.drop().files().get(0).storageKey()), addedSince(before), "only the winner's blob stays");
        assertEquals(List.of("w.txt"), drops.find(slug).orElseThrow().files().stream().map(f -> f.name()).toList());
    }

    @Test
    void aDuplicateFilePositionRollsBackAndRemovesTheBlobs() throws Exception {
        CreatedDrop drop = TestUploads.create(uploads, new NewDrop(null, null, null), TestFile.text("a.txt", "first"));
        // As if another writer had taken the next position without reserving it: the insert breaks UNIQUE(drop_id, position).
        Sql.update("UPDATE drops SET next_position = next_position - 1 WHERE slug = ?", drop.drop().slug());
        Set<String> before = allKeys();
        try (UploadSession upload = uploads.begin(Access.anonymous())) {
            stage(upload, "b.txt", "second");
            assertThrows(RuntimeException.class, () -> upload.addToDrop(drop.drop().slug(), Access.withToken(drop.deleteToken())));
        }
        assertEquals(Set.of(), addedSince(before));
        assertEquals(List.of("a.txt"), drops.find(drop.drop().slug()).orElseThrow().files().stream().map(f -> f.name()).toList());
    }

    @Test
    void anUploadRefusedBeforeItsTransactionRemovesItsBlobs() throws Exception {
        Set<String> before = allKeys();
        try (UploadSession upload = uploads.begin(Access.anonymous())) {
            stage(upload, "a.txt", "one");
            stage(upload, "b.txt", "two");
            assertThrows(InvalidInputException.class, () -> upload.createDrop(new NewDrop(null, "t".repeat(10_000), null)));
        }
        assertEquals(Set.of(), addedSince(before));
    }

    @Test
    void anAbandonedUploadRemovesItsBlobs() throws Exception {
        Set<String> before = allKeys();
        try (UploadSession upload = uploads.begin(Access.anonymous())) {
            stage(upload, "a.txt", "never committed");
        }
        assertEquals(Set.of(), addedSince(before));
    }

    private static void stage(UploadSession upload, String name, String text) throws Exception {
        upload.stage(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Blobs there now that were not before (the sweeper may remove others meanwhile: that is not this test's business). */
    private Set<String> addedSince(Set<String> before) throws Exception {
        Set<String> added = allKeys();
        added.removeAll(before);
        return added;
    }

    private Set<String> allKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        String after = null;
        for (List<BlobInfo> page = blobs.list("", null, 1000); !page.isEmpty(); page = blobs.list("", after, 1000)) {
            page.forEach(b -> keys.add(b.key()));
            after = page.get(page.size() - 1).key();
        }
        return keys;
    }
}
