package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.Access;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import io.teledrop.it.server.CountingBlobStore.Call;
import io.teledrop.it.Deployments;
import io.teledrop.it.Sql;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.it.TestUploads;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One owner for an upload's bytes: whatever ends an upload that never becomes a drop, each blob it stored is
 * deleted exactly once (by the upload session before the transaction, by the rollback observer in it), and
 * nothing else deletes it. The application runs with its blob store behind a {@link CountingBlobStore}.
 */
@ExtendWith(ArquillianExtension.class)
class UploadOwnershipIT {

    @Inject
    CountingStorage storage;

    @Inject
    Uploads uploads;

    @ArquillianResource
    URL base;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClasses(UploadOwnershipIT.class, CountingBlobStore.class, CountingBlobStore.Call.class,
                CountingStorage.class);
    }

    @Test
    void aFileRefusedMidUploadTakesTheStagedOnesWithIt() throws Exception {
        int mark = storage.store().mark();
        Multipart body = new Multipart()
                .file("first.txt", "a text file that is staged first".getBytes(StandardCharsets.UTF_8))
                .file("second.txt", "#!/bin/sh\nrm -rf ~\n".getBytes(StandardCharsets.UTF_8)); // application/x-sh, blocked here

        HttpResponse<String> answer = post(body);

        assertEquals(415, answer.statusCode(), answer.body());
        assertEachStagedBlobDeletedOnce(mark, 1);
    }

    @Test
    void aFieldRefusedAfterTheFilesTakesThemWithIt() throws Exception {
        int mark = storage.store().mark();
        Multipart body = new Multipart()
                .file("a.txt", "one".getBytes(StandardCharsets.UTF_8))
                .file("b.txt", "two".getBytes(StandardCharsets.UTF_8))
                .field("maxDownloads", "many");

        HttpResponse<String> answer = post(body);

        assertEquals(400, answer.statusCode(), answer.body());
        assertEachStagedBlobDeletedOnce(mark, 2);
    }

    @Test
    void aSlugTakenAtCommitIsRolledBackAndItsBlobsDeletedOnce() throws Exception {
        String slug = "own-" + UUID.randomUUID().toString().substring(0, 8);
        int mark;
        String winnerKey;
        try (UploadSession loser = uploads.begin(Access.anonymous())) {
            loser.validate(new NewDrop(slug, null, null));
            CreatedDrop winner = TestUploads.create(uploads, new NewDrop(slug, null, null), TestFile.text("w.txt", "winner"));
            winnerKey = winner.drop().files().get(0).storageKey();
            mark = storage.store().mark();
            loser.stage("l1.txt", new ByteArrayInputStream("loser one".getBytes(StandardCharsets.UTF_8)));
            loser.stage("l2.txt", new ByteArrayInputStream("loser two".getBytes(StandardCharsets.UTF_8)));
            assertThrows(SlugTakenException.class, () -> loser.createDrop(new NewDrop(slug, null, null)));
        }
        assertEachStagedBlobDeletedOnce(mark, 2);
        assertTrue(storage.store().stat(winnerKey).isPresent());
    }

    @Test
    void aDuplicateFilePositionIsRolledBackAndItsBlobDeletedOnce() throws Exception {
        CreatedDrop drop = TestUploads.create(uploads, new NewDrop(null, null, null), TestFile.text("a.txt", "first"));
        Sql.update("UPDATE drops SET next_position = next_position - 1 WHERE slug = ?", drop.drop().slug());
        int mark = storage.store().mark();
        try (UploadSession upload = uploads.begin(Access.anonymous())) {
            upload.stage("b.txt", new ByteArrayInputStream("second".getBytes(StandardCharsets.UTF_8)));
            assertThrows(RuntimeException.class, () -> upload.addToDrop(drop.drop().slug(), Access.withToken(drop.deleteToken())));
        }
        assertEachStagedBlobDeletedOnce(mark, 1);
    }

    @Test
    void aClientThatDisconnectsMidFileLeavesEachStagedBlobDeletedOnce() throws Exception {
        int mark = storage.store().mark();
        byte[] second = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(second);
        Multipart body = new Multipart()
                .file("whole.txt", "this one arrives whole".getBytes(StandardCharsets.UTF_8))
                .file("cut.bin", second);
        byte[] bytes = body.bytes();
        URI uri = base.toURI().resolve("api/uploads");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: multipart/form-data; boundary=" + body.boundary
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, 0, bytes.length / 2); // the first file whole, the second half-way
            out.flush();
            // Wait until the server has staged the first file and is reading the second, then cut.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (storage.store().since(mark).stream().noneMatch(c -> c.operation().equals("put")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (storage.store().since(mark).stream().noneMatch(c -> c.operation().equals("delete")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500); // a second deletion, were there one, would come right after the first
        assertEachStagedBlobDeletedOnce(mark, 1);
    }

    /** Exactly {@code staged} blobs were stored since {@code mark}, and each of them was deleted exactly once. */
    private void assertEachStagedBlobDeletedOnce(int mark, int staged) {
        List<Call> calls = storage.store().since(mark);
        List<String> stored = calls.stream().filter(c -> c.operation().equals("put")).map(Call::key).toList();
        assertEquals(staged, stored.size(), calls::toString);
        Map<String, Long> deletions = calls.stream().filter(c -> c.operation().equals("delete"))
                .collect(Collectors.groupingBy(Call::key, Collectors.counting()));
        for (String key : stored) {
            assertEquals(1L, deletions.getOrDefault(key, 0L), () -> "deletions of " + key + ": " + calls);
        }
        stored.forEach(key -> assertTrue(deletions.containsKey(key)));
    }

    private HttpResponse<String> post(Multipart body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(base.toURI().resolve("api/uploads"))
                .header("Content-Type", "multipart/form-data; boundary=" + body.boundary)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart/form-data body built in memory (the test files are small). */
    private static final class Multipart {
        final String boundary = "ownership-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String filename, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }

        private void write(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
