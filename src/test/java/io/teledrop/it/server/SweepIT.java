package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.Access;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.Uploads;
import io.teledrop.it.Deployments;
import io.teledrop.it.TestUploads;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.ops.ExpirySweep;
import io.teledrop.storage.BlobStore;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sweep removes expired and used-up drops with their blobs, inside the server with its own beans. */
@ExtendWith(ArquillianExtension.class)
class SweepIT {

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Inject
    ExpirySweep sweep;

    @ArquillianResource
    URL base;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(SweepIT.class);
    }

    private CreatedDrop drop(NewDrop wanted, String fileName) throws Exception {
        return TestUploads.create(uploads, wanted, new TestFile(fileName, new byte[] {1, 2, 3}));
    }

    @Test
    void expiredAndUsedUpDropsGoWithTheirBlobsAndLiveOnesStay() throws Exception {
        DropView expiringDrop = drop(new NewDrop(null, null, null, Instant.now().plusMillis(800), null), "e.txt").drop();
        DropView usedUpDrop = drop(new NewDrop(null, null, null, null, 1), "u.txt").drop();
        DropView liveDrop = drop(new NewDrop(null, null, null), "l.txt").drop();
        String expiring = expiringDrop.slug();
        String usedUp = usedUpDrop.slug();
        String live = liveDrop.slug();
        String expiringBlob = expiringDrop.files().get(0).storageKey();
        String usedUpBlob = usedUpDrop.files().get(0).storageKey();
        String liveBlob = liveDrop.files().get(0).storageKey();
        // The ZIP takes the only slot and holds no grant, so nothing may resume and the drop is used up.
        drops.finishDownload(drops.reserveDownload(drops.find(usedUp).orElseThrow(), null, 0, true, "127.0.0.1"), 10, true);
        assertThrows(DropGoneException.class, () -> drops.reserveDownload(drops.findForDownload(usedUp, Access.anonymous()).orElseThrow(), null, 0, true, "127.0.0.1"));
        Thread.sleep(1000);
        assertThrows(DropGoneException.class, () -> drops.find(expiring));
        assertThrows(DropGoneException.class, () -> drops.find(usedUp));

        List<String> removed = sweep.runOnce();

        assertTrue(removed.containsAll(List.of(expiring, usedUp)), removed::toString);
        assertFalse(removed.contains(live));
        assertTrue(drops.find(expiring).isEmpty() && drops.find(usedUp).isEmpty());
        assertFalse(blobs.stat(expiringBlob).isPresent());
        assertFalse(blobs.stat(usedUpBlob).isPresent());
        assertTrue(blobs.stat(liveBlob).isPresent());
        assertTrue(drops.find(live).isPresent());
    }

    @Test
    void anOpenEventStreamHearsItsDropExpireAndCloses() throws Exception {
        String slug = drop(new NewDrop(null, null, null, Instant.now().plusMillis(3000), null), "x.txt").drop().slug();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(base.toURI().resolve("api/drops/" + slug + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        // The stream ends when its drop does; until then heartbeats keep it open.
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> stream.body().forEach(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }));
        Thread.sleep(3200); // past the expiry, with room for a loaded machine to connect first

        assertTrue(sweep.runOnce().contains(slug));

        ended.get(30, TimeUnit.SECONDS);
        synchronized (lines) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("event: ?ready")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.matches("event: ?drop-expired")), lines::toString);
        }
    }

    @Test
    void downloadsOfALimitlessDropShowAtOnceAndReachTheDatabaseWithinASecond() throws Exception {
        var created = drop(new NewDrop(null, null, null), "t.txt").drop();
        var limited = drop(new NewDrop(null, null, null, null, 5), "l.txt").drop();

        for (int i = 0; i < 3; i++) {
            drops.finishDownload(drops.reserveDownload(created, created.files().get(0).id(), 3, true, "127.0.0.1"), 3, true);
            drops.finishDownload(drops.reserveDownload(limited, limited.files().get(0).id(), 3, true, "127.0.0.1"), 3, true);
        }

        assertEquals(3, drops.find(created.slug()).orElseThrow().downloadCount(), "shown before it is written");
        assertEquals(3, storedDownloadCount(limited.slug()), "a drop with a limit is counted at once");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (storedDownloadCount(created.slug()) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(3, storedDownloadCount(created.slug()), "written in a batch");
        assertEquals(3, drops.find(created.slug()).orElseThrow().downloadCount(), "not counted twice once written");
    }

    private static int storedDownloadCount(String slug) throws Exception {
        javax.sql.DataSource dataSource = javax.naming.InitialContext.doLookup("jdbc/teledrop");
        try (var connection = dataSource.getConnection();
             var query = connection.prepareStatement("SELECT download_count FROM drops WHERE slug = ?")) {
            query.setString(1, slug);
            try (var row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : -1;
            }
        }
    }
}
