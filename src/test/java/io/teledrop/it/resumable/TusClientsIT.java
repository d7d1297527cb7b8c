package io.teledrop.it.resumable;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static io.teledrop.it.resumable.Resumable.TUS;
import static io.teledrop.it.resumable.Resumable.header;
import static io.teledrop.it.resumable.Resumable.offsetOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real tus clients against Teledrop: tus-java-client, and tus-js-client under Node in its tus 1.0 and IETF
 * (interop 6) modes, each stopped after its first chunk and resumed from the upload's URL. The core of the
 * protocol is also sent to @tus/server, the reference implementation, and both servers' answers compared.
 */
@ExtendWith(ArquillianExtension.class)
class TusClientsIT {

    private static final Path CLIENTS = Path.of(System.getProperty("teledrop.it.tus-clients", "target/tus-clients"));
    private static Process reference;
    private static URI referenceEndpoint;

    private final Resumable resumable = new Resumable();
    private final TeledropClient client = resumable.client;

    @TempDir
    static Path temp;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @BeforeAll
    static void startReferenceServer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path store = Files.createDirectories(temp.resolve("tus-reference"));
        reference = new ProcessBuilder("node", "tus-reference-server.mjs", Integer.toString(port), store.toString())
                .directory(CLIENTS.toFile()).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(reference.getInputStream(), StandardCharsets.UTF_8));
        String first = output.readLine();
        assertEquals("ready", first, "@tus/server did not start (npm ci in " + CLIENTS + "?)");
        referenceEndpoint = URI.create("http://127.0.0.1:" + port + "/files");
    }

    @AfterAll
    static void stopReferenceServer() throws Exception {
        if (reference != null) {
            reference.destroy();
            if (!reference.waitFor(10, TimeUnit.SECONDS)) {
                reference.destroyForcibly();
            }
        }
    }

    @Test
    void tusJavaClientUploadsInChunksAndResumes() throws Exception {
        byte[] bytes = randomBytes(2_600_000, 40);
        Path file = Files.write(temp.resolve("java-client.bin"), bytes);
        TusClient tus = new TusClient();
        tus.setUploadCreationURL(new URL(TeledropClient.BASE + "api/uploads"));
        tus.enableResuming(new TusURLMemoryStore());
        TusUpload upload = new TusUpload(file.toFile());

        TusUploader first = tus.resumeOrCreateUpload(upload);
        first.setChunkSize(1_000_000);
        first.setRequestPayloadSize(1_000_000);
        assertTrue(first.uploadChunk() > 0);
        first.finish(false); // the program stops here, as after a crash

        TusUploader again = tus.resumeOrCreateUpload(upload);
        assertEquals(1_000_000, again.getOffset(), "resumed from the server's offset");
        again.setChunkSize(1_000_000);
        again.setRequestPayloadSize(1_000_000);
        while (again.uploadChunk() > -1) {
            // the rest, a chunk at a time
        }
        again.finish();

        HttpResponse<String> head = resumable.tusHead(again.getUploadURL().toURI());
        assertEquals(bytes.length, offsetOf(head));
        assertEquals(sha256(bytes), header(head, "Teledrop-Sha256"));
        assertTrue(header(head, "Teledrop-File-Url").endsWith("/java-client.bin"));
        assertArrayEquals(bytes, client.download(header(head, "Teledrop-File-Url")).body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tus-v1", "ietf-draft-05"})
    void tusJsClientUnderNodeUploadsAndResumes(String protocol) throws Exception {
        byte[] bytes = randomBytes(2_500_000, protocol.length());
        Path file = Files.write(temp.resolve("js-" + protocol + ".bin"), bytes);
        JsonObject result = node("tus-upload.mjs", TeledropClient.BASE + "api/uploads", file.toString(), protocol, "1000000", "abort-after-first");

        assertEquals(1_000_000, result.getInt("resumedFrom"), result.toString());
        assertEquals(Long.toString(bytes.length), result.getString("offset"));
        assertEquals(sha256(bytes), result.getString("sha256"));
        assertArrayEquals(bytes, client.download(result.getString("fileUrl")).body());
        JsonObject drop = json(client.send(client.request(result.getString("fileUrl").substring(TeledropClient.BASE.toString().length())
                .replaceAll("/[^/]+/[^/]+$", "").replace("d/", "api/drops/")).header("Accept", "application/json").GET().build()));
        assertEquals("tus-js-client " + protocol, drop.getString("title"));
    }

    /** The same core requests to both servers; the answers must agree where tus 1.0 says what they are. */
    @Test
    void coreAnswersMatchTheReferenceServer() {
        Map<String, String> ours = coreCase(URI.create(TeledropClient.BASE + "api/uploads"));
        Map<String, String> theirs = coreCase(referenceEndpoint);
        assertEquals(theirs, ours);
    }

    /** Runs the core cases on one server; returns what each answered: status and the headers tus requires. */
    private Map<String, String> coreCase(URI endpoint) {
        Map<String, String> seen = new LinkedHashMap<>();
        Function<HttpResponse<String>, String> tusVersion = r -> r.statusCode() + " " + r.headers().firstValue("Tus-Resumable").orElse("-");
        HttpResponse<String> options = client.send(HttpRequest.newBuilder(endpoint).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        seen.put("OPTIONS", tusVersion.apply(options) + " version=" + header(options, "Tus-Version"));
        List<String> extensions = new ArrayList<>(List.of(header(options, "Tus-Extension").split(",")));
        seen.put("OPTIONS extensions include creation, creation-with-upload, creation-defer-length, expiration, termination",
                Boolean.toString(extensions.containsAll(List.of("creation", "creation-with-upload", "creation-defer-length", "expiration", "termination"))));

        HttpResponse<String> created = client.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", TUS).header("Upload-Length", "100").build());
        seen.put("POST create", tusVersion.apply(created) + " location=" + created.headers().firstValue("Location").isPresent());
        URI upload = endpoint.resolve(header(created, "Location"));

        HttpResponse<String> head = resumable.tusHead(upload);
        seen.put("HEAD new", tusVersion.apply(head) + " offset=" + offsetOf(head) + " length=" + header(head, "Upload-Length")
                + " cache=" + header(head, "Cache-Control"));
        HttpResponse<String> patch = resumable.tusPatch(upload, 0, new byte[40]);
        seen.put("PATCH 40", tusVersion.apply(patch) + " offset=" + offsetOf(patch));
        HttpResponse<String> wrongOffset = resumable.tusPatch(upload, 10, new byte[10]);
        seen.put("PATCH wrong offset", Integer.toString(wrongOffset.statusCode()));
        // Not compared: a wrong Tus-Resumable (tus 1.0 says 412 with Tus-Version, which TusProtocolIT checks; @tus/server
        // answers 400) and a wrong Content-Type (tus says 415; @tus/server 400).
        HttpResponse<String> rest = resumable.tusPatch(upload, 40, new byte[60]);
        seen.put("PATCH rest", tusVersion.apply(rest) + " offset=" + offsetOf(rest));
        HttpResponse<String> deferred = client.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", TUS).header("Upload-Defer-Length", "1").build());
        URI deferredUpload = endpoint.resolve(header(deferred, "Location"));
        seen.put("HEAD deferred", resumable.tusHead(deferredUpload).statusCode() + " defer=" + header(resumable.tusHead(deferredUpload), "Upload-Defer-Length"));
        HttpResponse<String> deleted = resumable.delete(deferredUpload, "Tus-Resumable", TUS);
        seen.put("DELETE", tusVersion.apply(deleted));
        seen.put("HEAD deleted", Integer.toString(resumable.tusHead(deferredUpload).statusCode()));
        return seen;
    }

    private static JsonObject node(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(CLIENTS.toFile()).redirectErrorStream(true).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, () -> String.join(" ", command) + " failed: " + output);
        String last = output.substring(output.lastIndexOf('\n') + 1);
        try (var reader = Json.createReader(new StringReader(last))) {
            return reader.readObject();
        }
    }
}
