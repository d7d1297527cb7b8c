package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import io.teledrop.it.resumable.Resumable;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Resumable uploads on S3: pieces that do not line up with the store's 16 MiB parts become one multipart
 * upload (the tails in between kept as objects), a piece cut off mid-way keeps what arrived, and a cancelled
 * upload leaves no multipart upload and no staging object in the bucket.
 */
@ExtendWith(ArquillianExtension.class)
class S3ResumableIT {

    private static final int MIB = 1024 * 1024;
    private final Resumable tus = new Resumable();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void piecesAcrossPartsBecomeOneObject() {
        byte[] bytes = TeledropClient.randomBytes(40 * MIB, 60);
        URI upload = tus.tusUpload(bytes.length, null);
        int[] cuts = {0, 7 * MIB, 7 * MIB + 1, 27 * MIB, 40 * MIB};
        HttpResponse<String> last = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            last = tus.tusPatch(upload, cuts[i], bytes, cuts[i], cuts[i + 1]);
            assertEquals(204, last.statusCode(), last.body());
            assertEquals(cuts[i + 1], tus.offsetOf(upload));
        }
        assertEquals(TeledropClient.sha256(bytes), last.headers().firstValue("Teledrop-Sha256").orElseThrow());
        assertArrayEquals(bytes, download(last.headers().firstValue("Teledrop-File-Url").orElseThrow()));
        assertNoStagingLeft();
    }

    @Test
    void aCutPieceKeepsWhatArrivedAndACancelLeavesNothing() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(24 * MIB, 61);
        URI upload = tus.tusUpload(bytes.length, null);
        try (Socket socket = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + ":" + upload.getPort()
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 20 * MIB);
            out.flush();
            Thread.sleep(1000);
        }
        // The cut request goes on reading what was sent before it sees the end; its offset settles when it stops.
        long offset = -1;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < deadline; Thread.sleep(1500)) {
            long now = tus.offsetOf(upload);
            if (now == offset && now > 0) {
                break;
            }
            offset = now;
        }
        assertTrue(offset > 10 * MIB && offset <= 20 * MIB, "the parts sent and the tail that arrived were kept: " + offset);
        HttpResponse<String> rest = null;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ; Thread.sleep(500)) {
            rest = tus.tusPatch(upload, offset, bytes, (int) offset, 22 * MIB);
            if (rest.statusCode() != 423 || System.nanoTime() > deadline) {
                break;
            }
        }
        assertEquals(204, rest.statusCode(), rest.body());

        HttpResponse<String> cancelled = tus.delete(upload, "Tus-Resumable", Resumable.TUS);
        assertEquals(204, cancelled.statusCode());
        assertNoStagingLeft();
    }

    /** The file's bytes, following the redirect to a presigned S3 URL where there is one. */
    private static byte[] download(String url) {
        try {
            HttpResponse<byte[]> response = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The multipart uploads and staging objects of Teledrop's in the bucket now. */
    private static java.util.Set<String> stagingNow() {
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            String bucket = System.getProperty("teledrop.it.s3.bucket");
            java.util.Set<String> found = new java.util.TreeSet<>();
            s3.listMultipartUploads(b -> b.bucket(bucket).prefix("liberty/")).uploads().forEach(u -> found.add("upload " + u.key() + " " + u.uploadId()));
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("liberty/.staging/")).contents().forEach(o -> found.add("object " + o.key()));
            return found;
        }
    }

    /** No multipart upload and no staging object left beyond those there before the test (earlier runs' leftovers). */
    private void assertNoStagingLeft() {
        java.util.Set<String> left = new java.util.TreeSet<>();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < deadline; ) {
            left = stagingNow();
            left.removeAll(before);
            if (left.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertEquals(java.util.Set.of(), left, "multipart uploads and staging objects left in the bucket");
    }

    private java.util.Set<String> before;

    @org.junit.jupiter.api.BeforeEach
    void rememberStaging() {
        before = stagingNow();
    }
}
