package io.teledrop.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A full disk: the blob store and the upload temp folder on a 32 MiB tmpfs the test mounts (as root; otherwise
 * the storage reserve is set so that only 32 MiB are usable, the same limit by configuration). Uploads that do
 * not fit get 507 with nothing left behind, whether they declare their length or not, raw or multipart; the
 * server goes on serving and storing what fits; the request id of the refusal is on its JSON log line.
 */
class DiskFullIT {

    static final long MIB = 1024 * 1024;
    static final Path WORK = Path.of("target/faults/disk-full").toAbsolutePath();
    static final Path STORAGE = WORK.resolve("storage");
    static final Path BLOBS = STORAGE.resolve("blobs");
    static final Path SPOOL = STORAGE.resolve("spool");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void uploadsThatDoNotFitGet507AndTheServerGoesOn() throws Exception {
        unmount();
        FaultFiles.deleteTree(WORK);
        Files.createDirectories(STORAGE);
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=32m", "teledrop-disk-full", STORAGE.toString()) == 0;
        // Without a mount, a reserve that leaves 32 MiB usable on the real disk stands in for a small disk.
        long reserve = mounted ? 4 * MIB : Files.getFileStore(STORAGE).getUsableSpace() - 32 * MIB;
        System.out.println("DiskFullIT: " + (mounted ? "32 MiB tmpfs mounted" : "mount refused; reserve of " + reserve + " bytes"));
        Path fileA = write("a.bin", 20 * MIB, 1);
        Path big = write("big.bin", 64 * MIB, 2);
        Path small = write("small.bin", MIB, 3);
        try (LibertyServer server = new LibertyServer(FaultFiles.SERVER, LibertyServer.BASE, Map.of(
                "teledrop.data.dir", WORK.resolve("data").toString(),
                "teledrop.storage.local.root", BLOBS.toString(),
                "teledrop.upload.temp-dir", SPOOL.toString(),
                "teledrop.storage.reserve", reserve + "B",
                "teledrop.health.min-free-space", "1MiB",
                "teledrop.log.format", "JSON"), WORK.resolve("console.log"))) {
            server.start("health/ready");
            try {
                Curl a = curl("-T", fileA.toString(), "-H", "Teledrop-Slug: full-a");
                assertEquals(201, a.status, a.body);
                String tokenA = LibertyServer.json(a.body).getString("deleteToken");

                Curl declared = curl("-T", big.toString());
                assertRefused(declared, "a body that declares more than fits");
                Curl streamed = curl("-T", big.toString(), "-H", "Transfer-Encoding: chunked", "-H", "Expect:");
                assertRefused(streamed, "a raw body of unknown length that fills the disk");
                Curl multipart = curlForm(big, "-H", "Transfer-Encoding: chunked", "-H", "Expect:");
                assertRefused(multipart, "a multipart body of unknown length that fills the disk");

                assertEquals(List.of(), awaitNoLeftovers(), "a refused upload left files behind");
                assertEquals(List.of("full-a"), drops(), "drops after the refusals");
                assertDownloads("full-a", fileA);
                assertEquals(200, get("health/live").statusCode());
                Curl fits = curl("-T", small.toString(), "-H", "Teledrop-Slug: full-small");
                assertEquals(201, fits.status, "a file that fits is still stored: " + fits.body);
                assertDownloads("full-small", small);

                String logLine = server.messages().stream().filter(line -> line.contains("\"ext_requestId\":\"" + streamed.requestId + "\""))
                        .filter(line -> line.contains("storage full")).findFirst().orElse(null);
                assertTrue(logLine != null, "no JSON log line with ext_requestId " + streamed.requestId + " says why it was refused");

                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(LibertyServer.BASE.resolve("api/drops/full-a?token=" + tokenA))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, deleted.statusCode(), deleted.body());
                Curl again = curl("-T", fileA.toString(), "-H", "Teledrop-Slug: full-again");
                assertEquals(201, again.status, "the space of a deleted drop is usable again: " + again.body);
                assertDownloads("full-again", fileA);
            } finally {
                server.stop();
            }
        } finally {
            unmount();
        }
    }

    private void assertRefused(Curl answer, String what) throws IOException {
        assertEquals(507, answer.status, what + ": " + answer.body);
        JsonObject problem = LibertyServer.json(answer.body);
        assertEquals("application/problem+json", answer.contentType, what);
        assertTrue(problem.getString("type").endsWith("insufficient-storage"), problem.toString());
        assertTrue(problem.getString("detail").contains("nothing was stored"), problem.toString());
        assertTrue(problem.getString("instance").endsWith(answer.requestId), problem.toString());
    }

    private void assertDownloads(String slug, Path expected) throws Exception {
        JsonObject drop = LibertyServer.json(get("api/drops/" + slug).body());
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        String sha256;
        try (InputStream in = Files.newInputStream(expected)) {
            sha256 = Uploads.sha256(in);
        }
        assertEquals(sha256, file.getString("sha256"));
        HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(file.getString("downloadUrl"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        try (InputStream body = download.body()) {
            assertEquals(sha256, Uploads.sha256(body), slug + " downloads other bytes");
        }
    }

    private List<String> drops() throws IOException {
        List<String> slugs = new ArrayList<>();
        for (String slug : List.of("full-a", "full-small", "full-again")) {
            try {
                if (get("api/drops/" + slug).statusCode() == 200) {
                    slugs.add(slug);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return slugs;
    }

    /** Leftovers once the refused requests have ended (a refused upload removes its temp file as it ends). */
    private static List<String> awaitNoLeftovers() throws IOException, InterruptedException {
        List<String> found = leftovers();
        for (int i = 0; i < 50 && !found.isEmpty(); i++) {
            Thread.sleep(100);
            found = leftovers();
        }
        return found;
    }

    /** Files in the store's staging folder and the upload temp folder. */
    private static List<String> leftovers() throws IOException {
        return FaultFiles.filesUnder(BLOBS.resolve(".tmp"), SPOOL);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(LibertyServer.BASE.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What curl saw: status, the problem or drop JSON, and the request id the server gave. */
    record Curl(int status, String contentType, String requestId, String body) {
    }

    /** A raw upload with curl (it reads an early answer while still sending, as the JDK client does not). */
    private static Curl curl(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(options));
        command.add(LibertyServer.BASE.resolve("api/uploads/upload.bin").toString());
        return curl(command);
    }

    private static Curl curlForm(Path body, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(options));
        command.addAll(List.of("-F", "file=@" + body + ";type=application/octet-stream", LibertyServer.BASE.resolve("api/uploads").toString()));
        return curl(command);
    }

    private static Curl curl(List<String> options) throws IOException, InterruptedException {
        Path headers = Files.createTempFile(WORK, "headers-", ".txt");
        Path out = Files.createTempFile(WORK, "body-", ".txt");
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", out.toString(), "-D", headers.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(WORK.resolve("curl.log").toFile());
        Process curl = builder.start();
        if (!curl.waitFor(120, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new IllegalStateException("curl took more than 120 s: " + command);
        }
        int status = 0;
        String contentType = null;
        String requestId = null;
        for (String line : Files.readAllLines(headers)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (line.startsWith("HTTP/") && !line.contains(" 100")) {
                status = Integer.parseInt(line.split(" ")[1]);
            } else if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).trim().replaceAll(";.*", "");
            } else if (lower.startsWith("x-request-id:")) {
                requestId = line.substring(13).trim();
            }
        }
        return new Curl(status, contentType, requestId, Files.readString(out));
    }

    private static Path write(String name, long size, long seed) throws IOException {
        Path file = WORK.resolve(name);
        try (InputStream in = Uploads.content(seed, size)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static void unmount() throws IOException, InterruptedException {
        if (Files.isDirectory(STORAGE)) {
            run("umount", STORAGE.toString());
        }
    }
}
