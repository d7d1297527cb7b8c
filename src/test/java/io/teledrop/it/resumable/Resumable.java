package io.teledrop.it.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teledrop.it.TeledropClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Requests of the two resumable protocols, as a client sends them by hand, to one server: the one the tests
 * run against, or another given by its base URI (a fault test's own server, a node of the cluster). Requests
 * to an upload go to the upload's URL, wherever it points.
 */
public final class Resumable {

    public static final String TUS = "1.0.0";
    public static final String TUS_BYTES = "application/offset+octet-stream";
    public static final String IETF_BYTES = "application/partial-upload";

    public final TeledropClient client = new TeledropClient();
    private final URI base;

    /** Creates uploads on the server the tests run against ({@link TeledropClient#BASE}). */
    public Resumable() {
        this(TeledropClient.BASE);
    }

    /** Creates uploads on the server at {@code base}. */
    public Resumable(URI base) {
        this.base = base;
    }

    /** tus' Upload-Metadata: each value base64. */
    public static String metadata(Map<String, String> values) {
        List<String> pairs = new ArrayList<>();
        values.forEach((k, v) -> pairs.add(k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return String.join(",", pairs);
    }

    public HttpResponse<String> tusCreate(long length, String metadata, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/uploads")).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", TUS).header("Upload-Length", Long.toString(length));
        if (metadata != null) {
            request.header("Upload-Metadata", metadata);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    /** Creates a tus upload and returns its URL, asserting the creation answer. */
    public URI tusUpload(long length, String metadata, String... headers) {
        HttpResponse<String> created = tusCreate(length, metadata, headers);
        assertEquals(201, created.statusCode(), created.body());
        return URI.create(created.headers().firstValue("Location").orElseThrow());
    }

    public HttpResponse<String> tusPatch(URI upload, long offset, byte[] bytes, String... headers) {
        return client.send(tusPatchRequest(upload, offset, bytes, 0, bytes.length, headers));
    }

    /** A tus PATCH of {@code bytes[from, to)} (no copy of a large array's slice). */
    public HttpResponse<String> tusPatch(URI upload, long offset, byte[] bytes, int from, int to) {
        return client.send(tusPatchRequest(upload, offset, bytes, from, to));
    }

    /** The tus PATCH of {@code bytes[from, to)}, for a test that sends it its own way (several at once, say). */
    public static HttpRequest tusPatchRequest(URI upload, long offset, byte[] bytes, int from, int to, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(120))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from))
                .header("Tus-Resumable", TUS).header("Upload-Offset", Long.toString(offset)).header("Content-Type", TUS_BYTES);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    public HttpResponse<String> head(URI upload, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    public HttpResponse<String> tusHead(URI upload) {
        return head(upload, "Tus-Resumable", TUS);
    }

    /** The upload's offset as a tus HEAD answers it, asserting that it answers 200. */
    public long offsetOf(URI upload) {
        HttpResponse<String> head = tusHead(upload);
        assertEquals(200, head.statusCode(), () -> "HEAD " + upload + " answered " + head.statusCode());
        return offsetOf(head);
    }

    public HttpResponse<String> delete(URI upload, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30)).DELETE();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    public static long offsetOf(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("Upload-Offset").orElseThrow(() -> new AssertionError("no Upload-Offset in " + response.headers().map())));
    }

    public static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in " + response.headers().map()));
    }

    public static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
