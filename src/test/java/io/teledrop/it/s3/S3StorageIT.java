package io.teledrop.it.s3;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Teledrop on a Liberty server whose storage is S3 (S3Proxy, started by the build), with presigned
 * downloads on: a 1 GiB upload, downloads redirected to S3 (whole and ranged), the ZIP streamed from S3
 * through the server, deletion, and the rules (passwords, download limits) applied before any redirect.
 * Bytes are checked by SHA-256 against a generator that can produce any slice of the file.
 */
@ExtendWith(ArquillianExtension.class)
class S3StorageIT {

    private static final long ONE_GIB = 1024L * 1024 * 1024;
    private static final String PREFIX = "liberty/";

    private final TeledropClient client = new TeledropClient();
    private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    /** The byte at {@code position} of the test file: cheap to compute anywhere, so any range can be checked. */
    static byte at(long position) {
        long mixed = (position + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        return (byte) (mixed >>> 56 ^ position >>> 20);
    }

    /** {@code length} bytes of the test file from {@code offset}, as a stream. */
    static InputStream generated(long offset, long length) {
        return new InputStream() {
            private long position = offset;

            @Override
            public int read() {
                return position < offset + length ? at(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int from, int count) {
                if (position >= offset + length) {
                    return -1;
                }
                int n = (int) Math.min(count, offset + length - position);
                for (int i = 0; i < n; i++) {
                    buffer[from + i] = at(position++);
                }
                return n;
            }
        };
    }

    static String sha256(InputStream in) {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The objects under the server's prefix but its backups (a scheduled one may land at any time; README, "Backup and restore"). */
    private static long objectsUnderPrefix() {
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(System.getProperty("teledrop.it.s3.bucket")).prefix(PREFIX)).contents().stream()
                    .filter(object -> !object.key().startsWith(PREFIX + ".backups/")).count();
        }
    }

    private HttpResponse<InputStream> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return direct.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Teledrop's answer must be a redirect to a presigned S3 URL; returns that URL. */
    private String redirectOf(String url, String... headers) {
        HttpResponse<InputStream> answer = get(url, headers);
        assertEquals(307, answer.statusCode(), "downloads redirect to S3");
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(System.getProperty("teledrop.it.s3.endpoint") + "/"), location);
        assertTrue(location.contains("X-Amz-Signature="), "a presigned URL: " + location);
        return location;
    }

    @Test
    void aGibibyteGoesToS3AndComesBackWholeRangedAndZippedByChecksum() throws IOException {
        long objectsBefore = objectsUnderPrefix();
        String expected = sha256(generated(0, ONE_GIB));

        HttpResponse<String> upload = client.send(client.request("api/uploads/big.bin").timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> generated(0, ONE_GIB)), ONE_GIB))
                .build());
        assertEquals(201, upload.statusCode(), upload.body());
        JsonObject drop = json(upload);
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        assertEquals(expected, file.getString("sha256"));
        assertEquals(ONE_GIB, file.getJsonNumber("size").longValue());
        assertEquals(objectsBefore + 1, objectsUnderPrefix(), "one object in the bucket");

        String presigned = redirectOf(file.getString("downloadUrl"));
        HttpResponse<InputStream> whole = get(presigned);
        assertEquals(200, whole.statusCode());
        assertTrue(whole.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment"), "S3 answers with our disposition");
        assertEquals(expected, sha256(whole.body()));

        // Ranges across the 5 MiB part boundaries and at the very end, resent to S3 as a client would.
        long[][] ranges = {{0, 100}, {5L * 1024 * 1024 - 10, 20}, {512L * 1024 * 1024 + 7, 3 * 1024 * 1024}, {ONE_GIB - 1000, 1000}};
        for (long[] range : ranges) {
            String header = "bytes=" + range[0] + "-" + (range[0] + range[1] - 1);
            HttpResponse<InputStream> part = get(redirectOf(file.getString("downloadUrl"), "Range", header), "Range", header);
            assertEquals(206, part.statusCode(), header);
            assertEquals(sha256(generated(range[0], range[1])), sha256(part.body()), header);
        }

        // The ZIP is built by the server from S3 reads (BlobStore.open), not redirected.
        HttpResponse<InputStream> zip = get(drop.getString("zipUrl"));
        assertEquals(200, zip.statusCode());
        try (ZipInputStream entries = new ZipInputStream(zip.body())) {
            ZipEntry entry = entries.getNextEntry();
            assertEquals("big.bin", entry.getName());
            assertEquals(expected, sha256(new java.io.FilterInputStream(entries) {
                @Override
                public void close() {
                    // the entry ends here; the archive is closed by the outer try
                }
            }));
        }

        HttpResponse<String> deleted = client.send(client.request("api/drops/" + drop.getString("slug"))
                .header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build());
        assertEquals(204, deleted.statusCode());
        assertEquals(objectsBefore, objectsUnderPrefix(), "the object is gone from the bucket");
    }

    @Test
    void passwordsApplyBeforeAnyRedirectAndLimitedDropsAreNeverRedirected() {
        JsonObject locked = json(client.postMultipart(new Multipart().field("password", "pw").field("maxDownloads", "1")
                .file("file", "s.txt", "text/plain", "secret".getBytes())));
        String url = locked.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        assertEquals(401, get(url).statusCode(), "no redirect without the password");

        String token = json(client.send(client.request("api/drops/" + locked.getString("slug") + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"pw\"}")).build())).getString("token");
        // A limited drop is never redirected: its bytes pass through the server, which counts them.
        HttpResponse<InputStream> once = get(url, "Teledrop-Unlock", token);
        assertEquals(200, once.statusCode());
        try {
            assertArrayEquals("secret".getBytes(), once.body().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(410, get(url, "Teledrop-Unlock", token).statusCode());
    }

    @Test
    void failedUploadsLeaveNothingInTheBucket() {
        long objectsBefore = objectsUnderPrefix();
        String slug = "s3-taken-" + System.nanoTime() % 1_000_000;
        assertEquals(201, client.put("a.txt", new byte[] {1}, "Teledrop-Slug", slug).statusCode());
        assertProblem(client.put("b.txt", new byte[] {2}, "Teledrop-Slug", slug), 409, "urn:teledrop:problem:slug-taken");
        assertProblem(client.postMultipart(new Multipart().field("expires", "yesterday").file("file", "c.txt", "text/plain", new byte[] {3})),
                400, "urn:teledrop:problem:invalid-input");
        assertEquals(objectsBefore + 1, objectsUnderPrefix());
    }
}
