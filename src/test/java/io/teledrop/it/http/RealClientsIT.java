package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real download clients nobody here wrote, against the running server: curl with a range, wget resuming
 * an interrupted download, aria2c over eight connections. Each result is compared by SHA-256.
 * mvn verify installs curl, wget and aria2 from Debian (bin/test-prerequisites.sh).
 */
@ExtendWith(ArquillianExtension.class)
class RealClientsIT {

    private static final int SIZE = 6 * 1024 * 1024 + 12_345;

    private final TeledropClient client = new TeledropClient();
    private byte[] content;
    private String url;

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @BeforeEach
    void upload() {
        content = randomBytes(SIZE, 42);
        url = json(client.put("movie.bin", content)).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
    }

    @Test
    void curlFetchesARange() throws Exception {
        Path out = dir.resolve("part.bin");

        String status = TeledropClient.runClient("curl", "-s", "-o", out.toString(), "-w", "%{http_code}", "-r", "1000-1999", url);

        assertEquals("206", status);
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), Files.readAllBytes(out));
    }

    @Test
    void curlFetchesASuffixRange() throws Exception {
        Path out = dir.resolve("tail.bin");

        TeledropClient.runClient("curl", "-s", "-o", out.toString(), "-r", "-500", url);

        assertArrayEquals(Arrays.copyOfRange(content, SIZE - 500, SIZE), Files.readAllBytes(out));
    }

    @Test
    void wgetResumesAnInterruptedDownload() throws Exception {
        Path out = dir.resolve("movie.bin");
        // What an interrupted download leaves behind: the first part of the file.
        Files.write(out, Arrays.copyOf(content, SIZE / 3));

        TeledropClient.runClient("wget", "-q", "-c", "-O", out.toString(), url);

        assertEquals(sha256(content), sha256(Files.readAllBytes(out)));
    }

    @Test
    void aria2cFetchesOverEightConnections() throws Exception {
        String log = TeledropClient.runClient("aria2c", "-x", "8", "-s", "8", "-k", "1M", "--min-split-size=1M", "--file-allocation=none",
                "--console-log-level=notice", "--summary-interval=0", "-d", dir.toString(), "-o", "movie.bin", url);

        assertEquals(sha256(content), sha256(Files.readAllBytes(dir.resolve("movie.bin"))), log);
    }
}
