package io.teledrop.it;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private double metric(String name, String label) {
        HttpResponse<String> metrics = client.send(client.request("metrics?scope=application").GET().build());
        assertEquals(200, metrics.statusCode(), metrics.body());
        Optional<String> line = Arrays.stream(metrics.body().split("\n"))
                .filter(l -> l.startsWith(name + "{") && (label == null || l.contains(label))).findFirst();
        return line.map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    @Test
    void uploadsAndDownloadsAreCountedWithTheirBytes() {
        double uploads = metric("teledrop_uploads_total", "result=\"ok\"");
        double failed = metric("teledrop_uploads_total", "result=\"failed\"");
        double bytes = metric("teledrop_upload_bytes_total", null);
        double downloads = metric("teledrop_downloads_total", "result=\"complete\"");

        String url = json(client.put("m.bin", new byte[1000])).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        client.put("m.bin", new byte[1], "Teledrop-Slug", "!"); // refused
        client.download(url);

        assertEquals(uploads + 1, metric("teledrop_uploads_total", "result=\"ok\""));
        assertEquals(failed + 1, metric("teledrop_uploads_total", "result=\"failed\""));
        assertEquals(bytes + 1000, metric("teledrop_upload_bytes_total", null));
        assertEquals(downloads + 1, metric("teledrop_downloads_total", "result=\"complete\""));
        assertTrue(metric("teledrop_active_transfers", null) >= 0);
    }
}
