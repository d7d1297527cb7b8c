package io.teledrop.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A plain HTTP client for black-box tests of the running server, plus helpers to check what it stored. */
public final class TeledropClient {

    public static final URI BASE = URI.create(System.getProperty("teledrop.it.base-url", "http://localhost:9080/"));
    public static final Path SERVER_DIR = Path.of(System.getProperty("teledrop.it.server-dir", "target/liberty/wlp/usr/servers/teledrop-it"));
    public static final Path DATA_DIR = SERVER_DIR.resolve("teledrop-data");
    public static final long MAX_FILE_SIZE = io.teledrop.config.DataSize.parse(System.getProperty("teledrop.it.max-file-size", "8MiB"));
    public static final int MAX_FILES = Integer.parseInt(System.getProperty("teledrop.it.max-files", "5"));
    /** Whether the server runs on PostgreSQL (the postgresql-integration-tests execution), with its token secret set. */
    public static final boolean POSTGRESQL = System.getProperty("teledrop.it.pg.url") != null;
    /** The server's {@code teledrop.upload.multipart}: whether it parses multipart as it streams or has the container spool it. */
    public static final boolean CONTAINER_MULTIPART = "container".equals(System.getProperty("teledrop.it.multipart", "streaming"));

    // HTTP/1.1 on purpose: the JDK client's h2c upgrade attempt has hung against Liberty (LIBERTY-NOTES).
    public final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(BASE.resolve(path)).timeout(Duration.ofSeconds(120));
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> sendForBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> put(String filename, byte[] body, String... headers) {
        HttpRequest.Builder builder = request("api/uploads/" + filename).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    public HttpResponse<String> postMultipart(Multipart body, String... headers) {
        HttpRequest.Builder builder = request("api/uploads")
                .header("Content-Type", "multipart/form-data; boundary=" + body.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    public HttpResponse<byte[]> download(String absoluteUrl) {
        return sendForBytes(HttpRequest.newBuilder(URI.create(absoluteUrl)).timeout(Duration.ofSeconds(120)).GET().build());
    }

    /** Runs a client to completion and returns what it printed; a non-zero exit fails the test. */
    public static String runClient(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, () -> String.join(" ", command) + " failed: " + output);
        return output.strip();
    }

    public static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Regular files in the blob store (its hidden temp folder excluded). */
    public static long blobCount() {
        return countFiles(DATA_DIR.resolve("blobs"), true);
    }

    /** Files left in the blob store's temp folder and in the upload temp folder. */
    public static long leftoverTempFiles() {
        return countFiles(DATA_DIR.resolve("blobs").resolve(".tmp"), false) + countFiles(DATA_DIR.resolve("tmp"), false);
    }

    private static long countFiles(Path root, boolean skipHidden) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !skipHidden || !root.relativize(p).startsWith(".tmp"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A multipart/form-data body built in memory (test files are small). */
    public static final class Multipart {
        public final String boundary = "teledrop-test-" + System.nanoTime();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            write("\r\n");
            return this;
        }

        public Multipart file(String field, String filename, String contentType, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
                    + "Content-Type: " + contentType + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        public byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An endless stream of one byte value, for bodies bigger than the limit without holding them in memory. */
    public static InputStream zeros(long length) {
        return new InputStream() {
            long left = length;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
