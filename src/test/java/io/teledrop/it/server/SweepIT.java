package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.Access;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.it.Deployments;
import io.teledrop.ops.ExpirySweep;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
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
import org.jboss.arquillian.test.api.ArquillianResource;
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

    @ArquillianResource
    URL base;

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
        assertFalse(blobs.stat(expiringBlob.key()).isPresent());
        assertFalse(blobs.stat(usedUpBlob.key()).isPresent());
        assertTrue(blobs.stat(liveBlob.key()).isPresent());
        assertTrue(drops.find(live).isPresent());
    }

    @Test
    void anOpenEventStreamHearsItsDropExpireAndCloses() throws Exception {
        String slug = drops.create(new NewDrop(null, null, null, Instant.now().plusMillis(3000), null),
                List.of(new NewFile("x.txt", "text/plain", blob()))).drop().slug();
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
        var created = drops.create(new NewDrop(null, null, null), List.of(new NewFile("t.txt", "text/plain", blob()))).drop();
        var limited = drops.create(new NewDrop(null, null, null, null, 5), List.of(new NewFile("l.txt", "text/plain", blob()))).drop();

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
