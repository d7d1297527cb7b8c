package io.teledrop.it.jar;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.runClient;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.teledrop.it.Reaper;
import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code target/teledrop.jar} as an operator runs it: {@code java -jar} with nothing but environment variables,
 * started from the built file, used with curl, stopped, started again. Its data must outlive the folder the JAR
 * unpacks itself into.
 */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("teledrop.it.jar", "target/teledrop.jar")).toAbsolutePath();
    private static final int PORT = Integer.getInteger("teledrop.it.jar.port", 9580);
    private static final int HTTPS_PORT = Integer.getInteger("teledrop.it.jar.https-port", 9543);
    private static final URI BASE = URI.create("http://127.0.0.1:" + PORT + "/");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void startsFromTheBuiltFileServesUploadsAndKeepsTheirDataAcrossARestart() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " was not built by mvn package");
        Path work = Files.createDirectories(Path.of("target/runnable-jar-it")).toAbsolutePath();
        Path home = Files.createTempDirectory(work, "home-");
        Path extract = work.resolve("extract-" + home.getFileName());
        Path console = work.resolve(home.getFileName() + ".log");
        Path upload = Files.write(work.resolve("upload-" + home.getFileName() + ".bin"), TeledropClient.randomBytes(3 * 1024 * 1024 + 17, 21));
        Path downloaded = work.resolve("downloaded-" + home.getFileName() + ".bin");

        String link;
        Process first = start(Map.of("WLP_JAR_EXTRACT_DIR", extract.toString(), "JVM_ARGS", "-Duser.home=" + home), console);
        try {
            awaitReady(first, console);
            link = runClient("curl", "-sS", "-f", "-T", upload.toString(), "-H", "Accept: text/plain", BASE + "api/uploads/report.bin");
            assertTrue(link.startsWith(BASE + "d/"), link);
            runClient("curl", "-sS", "-f", "-o", downloaded.toString(), link);
            assertEquals(sha256(Files.readAllBytes(upload)), sha256(Files.readAllBytes(downloaded)));
        } finally {
            stop(first);
        }
        // Without TELEDROP_DATA_DIR the data is in the home folder of the user who ran it, not in the unpacked server.
        Path data = home.resolve("teledrop-data");
        assertTrue(Files.isRegularFile(data.resolve("teledrop.db")), "no database in " + data);
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
            assertTrue(blobs.anyMatch(Files::isRegularFile), "no blob in " + data.resolve("blobs"));
        }
        assertTrue(Files.readString(console).contains("CWWKE0036I: The server teledrop-jar stopped"), "no clean stop on SIGTERM");

        // A stop by signal leaves the unpacked server behind, and the launcher refuses to unpack into a folder that
        // exists ("Directory already exists", exit 4): the systemd unit (docs/operations.md) removes it before each
        // start, and so does this. Started again from the same file, configured by the same environment variables.
        deleteTree(extract);
        Files.deleteIfExists(downloaded);
        Process second = start(Map.of("WLP_JAR_EXTRACT_DIR", extract.toString(), "JVM_ARGS", "-Duser.home=" + home,
                "TELEDROP_UPLOAD_MAX_FILE_SIZE", "1KiB"), console);
        try {
            awaitReady(second, console);
            runClient("curl", "-sS", "-f", "-o", downloaded.toString(), link);
            assertEquals(sha256(Files.readAllBytes(upload)), sha256(Files.readAllBytes(downloaded)), "the drop did not survive the restart");
            HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(BASE.resolve("api/uploads/big.bin"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(60))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(tooLarge, 413, "urn:teledrop:problem:payload-too-large");
        } finally {
            stop(second);
        }
        // Only the console log stays: the unpacked server (160 MB) and the data would weigh on the build's disk.
        deleteTree(extract);
        deleteTree(home);
        Files.delete(upload);
        Files.delete(downloaded);
    }

    /** {@code java -jar target/teledrop.jar} in a process group of its own, with no TELEDROP_* setting but {@code settings}. */
    private static Process start(Map<String, String> settings, Path console) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("TELEDROP_") || name.startsWith("WLP_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("HTTP_PORT", Integer.toString(PORT));
        builder.environment().put("HTTPS_PORT", Integer.toString(HTTPS_PORT));
        builder.environment().putAll(settings);
        Process process = builder.start();
        Reaper.killGroupWhenTestEnds(process);
        return process;
    }

    private void awaitReady(Process process, Path console) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("java -jar ended with " + process.exitValue() + ":\n" + tail(console));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(BASE.resolve("health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1_000);
        }
        fail("not ready within 240 s:\n" + tail(console));
    }

    /** SIGTERM to the whole group, as systemd stops a service (KillMode=control-group). */
    private static void stop(Process process) throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid()).inheritIO().start().waitFor();
        }
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).inheritIO().start().waitFor();
            fail("java -jar did not stop within 90 s of SIGTERM");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String tail(Path console) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(console));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
