package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.Permission;
import io.teledrop.drop.StorageLedger;
import io.teledrop.drop.Uploads;
import io.teledrop.it.Deployments;
import io.teledrop.it.TestUploads;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.ops.Reconciliation;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reconciliation inside the server: what a crash leaves behind is cleaned up, and nothing else is. */
@ExtendWith(ArquillianExtension.class)
class ReconciliationIT {

    private static final FileTime TWO_HOURS_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(2)));

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Inject
    Settings settings;

    @Inject
    Reconciliation reconciliation;

    @Inject
    StorageLedger ledger;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(ReconciliationIT.class);
    }

    private PutResult blob() throws Exception {
        return blobs.put(BlobKeys.newKey(), new ByteArrayInputStream(new byte[] {4, 2}), 10);
    }

    @Test
    void oldOrphansAndTempFilesGoWhileRecordedAndFreshBlobsStay() throws Exception {
        String recorded = TestUploads.create(uploads, new NewDrop(null, null, null), new TestFile("kept.txt", new byte[] {4, 2}))
                .drop().files().get(0).storageKey();
        PutResult oldOrphan = blob();
        Files.setLastModifiedTime(settings.localRoot().resolve(oldOrphan.key()), TWO_HOURS_AGO);
        PutResult freshOrphan = blob(); // an upload whose row is about to commit
        Path staleStaging = Files.writeString(settings.localRoot().resolve(".tmp").resolve("put-crashed.part"), "half");
        Files.setLastModifiedTime(staleStaging, TWO_HOURS_AGO);
        Path staleSpool = Files.writeString(settings.uploadTempDir().resolve("upload_crashed.tmp"), "half");
        Files.setLastModifiedTime(staleSpool, TWO_HOURS_AGO);

        Reconciliation.Report report = reconciliation.reconcile(Instant.now().minus(Duration.ofHours(1)));

        assertFalse(blobs.stat(oldOrphan.key()).isPresent());
        assertTrue(blobs.stat(freshOrphan.key()).isPresent(), "the grace period protects blobs whose row may still come");
        assertTrue(blobs.stat(recorded).isPresent());
        assertFalse(Files.exists(staleStaging));
        assertFalse(Files.exists(staleSpool));
        assertTrue(report.orphansRemoved() >= 1 && report.temporariesRemoved() >= 2, report::toString);
        blobs.delete(freshOrphan.key());
    }

    @Test
    void aRowWhoseBlobIsGoneIsMarkedAndTheMarkGoesWhenTheBlobIsBack() throws Exception {
        DropView drop = TestUploads.create(uploads, new NewDrop(null, null, null), new TestFile("lost.txt", new byte[] {4, 2})).drop();
        String lost = drop.files().get(0).storageKey();
        long missingBefore = ledger.missingCount();
        blobs.delete(lost);

        Reconciliation.Report report = reconciliation.reconcile(Instant.now().minus(Duration.ofHours(1)));

        assertTrue(report.missingBlobs().contains(drop.slug() + "/" + drop.files().get(0).id()), report::toString);
        assertTrue(drops.find(drop.slug()).orElseThrow().files().get(0).missing(), "the row is marked");
        assertEquals(missingBefore + 1, ledger.missingCount());

        // A restore puts the bytes back under their key: the next run clears the mark.
        blobs.put(lost, new ByteArrayInputStream(new byte[] {4, 2}), 10);
        Reconciliation.Report after = reconciliation.reconcile(Instant.now().minus(Duration.ofHours(1)));
        assertFalse(after.missingBlobs().contains(drop.slug() + "/" + drop.files().get(0).id()), after::toString);
        // Counted in the database: this test's own persistence context still holds the file as it first read it.
        assertEquals(missingBefore, ledger.missingCount());
        drops.delete(drop.slug(), new Access(null, Set.of(Permission.ADMIN)));
    }
}
