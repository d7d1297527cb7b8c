package io.teledrop.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.TeledropClient;
import io.teledrop.it.resumable.Resumable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Incomplete uploads expire: past {@code teledrop.upload.resumable.lifetime} after their last piece they
 * answer 410, and the sweep removes them with their staged bytes and the drop that was made for them.
 */
class ResumableExpiryIT {

    static final Path WORK = Path.of("target/faults/resumable-expiry").toAbsolutePath();
    private final Resumable tus = new Resumable();
    private final TeledropClient client = tus.client;

    @Test
    void anAbandonedUploadGoesWithItsBytesAndItsDrop() throws Exception {
        FaultFiles.deleteTree(WORK);
        try (LibertyServer server = new LibertyServer(FaultFiles.SERVER, LibertyServer.BASE, Map.of(
                "teledrop.data.dir", WORK.resolve("data").toString(),
                "teledrop.upload.resumable.lifetime", "PT4S",
                "teledrop.upload.resumable.max-total", "3",
                "teledrop.maintenance.sweep-interval", "PT1S"), WORK.resolve("console.log"))) {
            server.start("health/ready");
            HttpResponse<String> created = tus.tusCreate(100_000, null);
            assertEquals(201, created.statusCode(), created.body());
            URI upload = URI.create(created.headers().firstValue("Location").orElseThrow());
            String drop = created.headers().firstValue("Teledrop-Drop-Url").orElseThrow();
            HttpResponse<String> piece = tus.tusPatch(upload, 0, new byte[40_000]);
            assertEquals(204, piece.statusCode(), piece.body());
            assertEquals(1, staged().size(), "its bytes are staged");

            List<Integer> answers = new ArrayList<>();
            for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ; Thread.sleep(250)) {
                int status = tus.tusHead(upload).statusCode();
                if (answers.isEmpty() || answers.get(answers.size() - 1) != status) {
                    answers.add(status);
                }
                if (status == 404) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "still there after 60 s: " + answers);
            }
            assertEquals(200, answers.get(0), answers.toString());
            assertTrue(answers.stream().allMatch(s -> s == 200 || s == 410 || s == 404), answers.toString());
            assertEquals(List.of(), staged(), "its bytes went with it");
            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(drop)).header("Accept", "application/json").GET().build()).statusCode(),
                    "the drop made for it went too");

            // The limit for everyone (max-total 3) holds below the one per client (100), and expiry gives places back.
            for (int i = 0; i < 3; i++) {
                assertEquals(201, create().statusCode());
            }
            HttpResponse<String> refused = create();
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("urn:teledrop:problem:too-many-uploads") && refused.body().contains("server holds 3"), refused.body());
            for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ; Thread.sleep(500)) {
                HttpResponse<String> again = create();
                if (again.statusCode() == 201) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "expired uploads never gave their places back: " + again.body());
            }
        }
    }

    private HttpResponse<String> create() {
        return tus.tusCreate(10, null);
    }

    private static List<Path> staged() throws Exception {
        try (Stream<Path> files = Files.list(WORK.resolve("data/blobs/.staging"))) {
            return files.toList();
        }
    }
}
