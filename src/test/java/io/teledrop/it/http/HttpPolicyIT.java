package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Site-wide HTTP rules on the test server, which allows hosts localhost and 127.0.0.1 and CORS for
 * https://app.example.com only.
 */
@ExtendWith(ArquillianExtension.class)
class HttpPolicyIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void pagesForbidFramingAndReferrers() {
        HttpResponse<String> page = client.send(client.request("").GET().build());

        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), csp);
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
    }

    @Test
    void downloadsKeepTheirStricterPolicy() {
        String url = json(client.put("a.html", "<p>x</p>".getBytes(StandardCharsets.UTF_8))).getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<byte[]> download = client.download(url);

        assertEquals("default-src 'none'; sandbox", download.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("no-referrer", download.headers().firstValue("Referrer-Policy").orElseThrow());
    }

    @Test
    void corsPreflightIsAnsweredForTheConfiguredOriginOnly() {
        HttpResponse<String> allowed = client.send(client.request("api/drops/x").header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "DELETE").header("Access-Control-Request-Headers", "teledrop-delete-token")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> other = client.send(client.request("api/drops/x").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "DELETE").method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> simple = client.send(client.request("api/drops/nosuchdrop").header("Origin", "https://app.example.com").GET().build());

        assertEquals(204, allowed.statusCode());
        assertEquals("https://app.example.com", allowed.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("DELETE"));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("Teledrop-Delete-Token"));
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertEquals("https://app.example.com", simple.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(simple.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("X-Request-Id"));
    }

    @Test
    void aForeignHostNameIsRefused() throws IOException {
        String answer = rawRequest("GET /api/drops/x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        String known = rawRequest("GET /api/drops/nosuchdrop HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("urn:teledrop:problem:bad-request"), answer);
        assertTrue(known.startsWith("HTTP/1.1 404"), known);
    }

    /** The JDK client will not send a made-up Host header, so this speaks HTTP over a socket. */
    private static String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket(TeledropClient.BASE.getHost(), TeledropClient.BASE.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
