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

/** Requests of the two resumable protocols, as a client sends them by hand. */
final class Resumable {

    static final String TUS = "1.0.0";
    static final String TUS_BYTES = "application/offset+octet-stream";
    static final String IETF_BYTES = "application/partial-upload";

    final TeledropClient client = new TeledropClient();

    /** tus' Upload-Metadata: each value base64. */
    static String metadata(Map<String, String> values) {
        List<String> pairs = new ArrayList<>();
        values.forEach((k, v) -> pairs.add(k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return String.join(",", pairs);
    }

    HttpResponse<String> tusCreate(long length, String metadata, String... headers) {
        HttpRequest.Builder request = client.request("api/uploads").POST(HttpRequest.BodyPublishers.noBody())
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
    URI tusUpload(long length, String metadata, String... headers) {
        HttpResponse<String> created = tusCreate(length, metadata, headers);
        assertEquals(201, created.statusCode(), created.body());
        return URI.create(created.headers().firstValue("Location").orElseThrow());
    }

    HttpResponse<String> tusPatch(URI upload, long offset, byte[] bytes, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(60))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Tus-Resumable", TUS).header("Upload-Offset", Long.toString(offset)).header("Content-Type", TUS_BYTES);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    HttpResponse<String> head(URI upload, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    HttpResponse<String> tusHead(URI upload) {
        return head(upload, "Tus-Resumable", TUS);
    }

    HttpResponse<String> delete(URI upload, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30)).DELETE();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    static long offsetOf(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("Upload-Offset").orElseThrow(() -> new AssertionError("no Upload-Offset in " + response.headers().map())));
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in " + response.headers().map()));
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
