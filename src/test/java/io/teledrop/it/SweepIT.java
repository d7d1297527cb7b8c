package io.teledrop.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.ops.ExpirySweep;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sweep removes expired and used-up drops with their blobs, inside the server with its own beans. */
@ExtendWith(ArquillianExtension.class)
class SweepIT {

    @Inject
    DropService drops;

    @Inject
    BlobStore blobs;

    @Inject
    ExpirySweep sweep;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(SweepIT.class);
    }

    private PutResult blob() throws Exception {
        return blobs.put(BlobKeys.newKey(), new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
    }

    @Test
    void expiredAndUsedUpDropsGoWithTheirBlobsAndLiveOnesStay() throws Exception {
        PutResult expiringBlob = blob();
        PutResult usedUpBlob = blob();
        PutResult liveBlob = blob();
        String expiring = drops.create(new NewDrop(null, null, null, Instant.now().plusMillis(800), null),
                List.of(new NewFile("e.txt", "text/plain", expiringBlob))).drop().slug();
        String usedUp = drops.create(new NewDrop(null, null, null, null, 1),
                List.of(new NewFile("u.txt", "text/plain", usedUpBlob))).drop().slug();
        String live = drops.create(new NewDrop(null, null, null),
                List.of(new NewFile("l.txt", "text/plain", liveBlob))).drop().slug();
        drops.recordDownload(usedUp);
        drops.recordDownload(usedUp); // beyond the limit: must not count, must not fail
        Thread.sleep(1000);
        assertThrows(DropGoneException.class, () -> drops.find(expiring));
        assertThrows(DropGoneException.class, () -> drops.find(usedUp));

        List<String> removed = sweep.runOnce();

        assertTrue(removed.containsAll(List.of(expiring, usedUp)), removed::toString);
        assertFalse(removed.contains(live));
        assertTrue(drops.find(expiring).isEmpty() && drops.find(usedUp).isEmpty());
        assertFalse(blobs.stat(expiringBlob.key()).isPresent());
        assertFalse(blobs.stat(usedUpBlob.key()).isPresent());
        assertTrue(blobs.stat(liveBlob.key()).isPresent());
        assertTrue(drops.find(live).isPresent());
    }
}
