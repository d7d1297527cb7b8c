package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Teledrop's metrics in Prometheus format move with what the server does. */
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private static final String API_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private double metric(String name, String... labels) {
        return metricLine(name, labels).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private Optional<String> metricLine(String name, String... labels) {
        HttpResponse<String> metrics = client.send(client.request("metrics?scope=application").GET().build());
        assertEquals(200, metrics.statusCode(), metrics.body());
        return Arrays.stream(metrics.body().split("\n"))
                .filter(l -> l.startsWith(name + "{") && Arrays.stream(labels).allMatch(label -> label == null || l.contains(label))).findFirst();
    }

    @Test
    void uploadsAndDownloadsAreCountedWithTheirBytes() {
        double uploads = metric("teledrop_uploads_total", "result=\"ok\"");
        double failed = metric("teledrop_uploads_total", "result=\"failed\"");
        double bytes = metric("teledrop_upload_bytes_total");
        double downloads = metric("teledrop_downloads_total", "result=\"complete\"");
        double storagePuts = metric("teledrop_storage_operations_total", "op=\"put\"", "result=\"ok\"");
        double storedBytes = metric("teledrop_storage_bytes_total", "op=\"put\"");
        double storageOpens = metric("teledrop_storage_operations_total", "op=\"open\"", "result=\"ok\"");

        String url = json(client.put("m.bin", new byte[1000])).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        client.put("m.bin", new byte[1], "Teledrop-Slug", "!"); // refused
        client.download(url);

        assertEquals(uploads + 1, metric("teledrop_uploads_total", "result=\"ok\""));
        assertEquals(failed + 1, metric("teledrop_uploads_total", "result=\"failed\""));
        assertEquals(bytes + 1000, metric("teledrop_upload_bytes_total"));
        assertEquals(downloads + 1, metric("teledrop_downloads_total", "result=\"complete\""));
        // Present (a missing series would read as absent, not as 0), and no transfer is running now.
        String activeTransfers = metricLine("teledrop_active_transfers", (String) null)
                .orElseThrow(() -> new AssertionError("no teledrop_active_transfers series"));
        assertTrue(Double.parseDouble(activeTransfers.substring(activeTransfers.lastIndexOf(' ') + 1)) >= 0, activeTransfers);
        // The readiness probe writes to storage too, so these grow by at least what this test did.
        assertTrue(metric("teledrop_storage_operations_total", "op=\"put\"", "result=\"ok\"") >= storagePuts + 1);
        assertTrue(metric("teledrop_storage_bytes_total", "op=\"put\"") >= storedBytes + 1000);
        assertTrue(metric("teledrop_storage_operations_total", "op=\"open\"", "result=\"ok\"") >= storageOpens + 1);
        assertTrue(metric("teledrop_storage_duration_seconds_count", "op=\"put\"") >= 1, "put latency is recorded");
    }

    @Test
    void downloadsAreTimedAndFailuresCounted() {
        double timed = metric("teledrop_download_duration_seconds_count");
        double partial = metric("teledrop_downloads_total", "result=\"partial\"");
        String url = json(client.put("t.bin", new byte[5000])).getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        client.download(url);
        client.sendForBytes(client.request(url.substring(TeledropClient.BASE.toString().length())).header("Range", "bytes=0-9").GET().build());

        assertEquals(timed + 1, metric("teledrop_download_duration_seconds_count"), "a complete download is timed");
        assertEquals(partial + 1, metric("teledrop_downloads_total", "result=\"partial\""), "a range is a partial download");
        assertTrue(metricLine("teledrop_downloads_total", "result=\"failed\"").isPresent(), "failed downloads have a series of their own");
    }

    @Test
    void storedTotalsMatchTheDatabase() throws Exception {
        client.put("s.bin", new byte[3000]);
        // The gauges are read at most once a second; the admin list counts the same rows.
        for (int i = 0; i < 50 && metric("teledrop_stored_drops") != dropsInTheDatabase(); i++) {
            Thread.sleep(100);
        }
        long total = dropsInTheDatabase();
        assertEquals(total, metric("teledrop_stored_drops"));
        assertTrue(metric("teledrop_stored_files") >= total, "every drop has a file");
        assertTrue(metric("teledrop_stored_bytes") >= 3000);
    }

    private long dropsInTheDatabase() {
        return json(client.send(client.request("api/drops?size=1").header("Authorization", "Bearer " + API_KEY).GET().build()))
                .getJsonNumber("total").longValue();
    }
}
