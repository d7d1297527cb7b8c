package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guessing limit of drop passwords is exact under parallel requests (issue 14): at most 5 passwords
 * checked per client and drop and 20 per drop from everyone in 15 minutes, however many requests arrive at
 * once. The client is the connection's remote address (Teledrop trusts no X-Forwarded-For), so the test
 * plays several clients by binding its sockets to different loopback addresses.
 */
@ExtendWith(ArquillianExtension.class)
class PasswordLimitIT {

    private static final String RIGHT = "the right password";

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private String protectedDrop() {
        HttpResponse<String> created = client.put("limited.txt", "guarded".getBytes(StandardCharsets.UTF_8), "Teledrop-Password", RIGHT);
        assertEquals(201, created.statusCode(), created.body());
        return json(created).getString("slug");
    }

    private HttpResponse<String> unlock(String slug, String password) {
        return client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}")).build());
    }

    /** Runs every task at the same moment; returns their results in order. */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(180, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertRetryAfter(String value) {
        long seconds = Long.parseLong(value);
        assertTrue(seconds > 0 && seconds <= 900, value);
    }

    @Test
    void fortyParallelWrongPasswordsFromOneClientHaveExactlyFiveChecked() throws Exception {
        String slug = protectedDrop();
        List<Callable<HttpResponse<String>>> guesses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String guess = "guess-" + i;
            guesses.add(() -> unlock(slug, guess));
        }

        List<HttpResponse<String>> answers = atOnce(guesses);

        List<HttpResponse<String>> checked = answers.stream().filter(a -> a.statusCode() == 403).toList();
        List<HttpResponse<String>> limited = answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertEquals(5, checked.size(), () -> answers.stream().map(a -> a.statusCode() + " " + a.body()).toList().toString());
        assertEquals(35, limited.size());
        checked.forEach(a -> assertProblem(a, 403, "urn:teledrop:problem:wrong-password"));
        for (HttpResponse<String> answer : limited) {
            assertProblem(answer, 429, "urn:teledrop:problem:too-many-attempts");
            assertRetryAfter(answer.headers().firstValue("Retry-After").orElseThrow());
        }
        // The limit counts attempts before they are checked: the right password waits for the window too.
        HttpResponse<String> right = unlock(slug, RIGHT);
        assertProblem(right, 429, "urn:teledrop:problem:too-many-attempts");
        assertRetryAfter(right.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void rightPasswordsDoNotUseTheLimitUp() {
        String slug = protectedDrop();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> unlocked = unlock(slug, RIGHT);
            assertEquals(200, unlocked.statusCode(), unlocked.body());
        }
        for (int i = 0; i < 5; i++) {
            assertProblem(unlock(slug, "wrong-" + i), 403, "urn:teledrop:problem:wrong-password");
        }
        assertProblem(unlock(slug, "wrong-again"), 429, "urn:teledrop:problem:too-many-attempts");
    }

    @Test
    void eightClientsGuessingInParallelHaveExactlyTwentyCheckedForTheDrop() throws Exception {
        String slug = protectedDrop();
        List<Callable<RawAnswer>> guesses = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String source = "127.0.0." + (10 + c);
            for (int i = 0; i < 5; i++) {
                String guess = "guess-" + c + "-" + i;
                guesses.add(() -> rawUnlock(source, slug, guess));
            }
        }

        List<RawAnswer> answers = atOnce(guesses);

        assertEquals(20, answers.stream().filter(a -> a.status() == 403).count(), answers::toString);
        assertEquals(20, answers.stream().filter(a -> a.status() == 429).count(), answers::toString);
        answers.stream().filter(a -> a.status() == 403).forEach(a -> assertTrue(a.body().contains("urn:teledrop:problem:wrong-password"), a.body()));
        answers.stream().filter(a -> a.status() == 429).forEach(a -> {
            assertTrue(a.body().contains("urn:teledrop:problem:too-many-attempts"), a.body());
            assertRetryAfter(a.header("retry-after"));
        });
        // The drop's limit holds for a client that has not guessed at all, right password or not.
        RawAnswer fresh = rawUnlock("127.0.0.30", slug, RIGHT);
        assertEquals(429, fresh.status(), fresh.toString());
        assertRetryAfter(fresh.header("retry-after"));
    }

    @Test
    void anotherClientIsNotHeldUpByOneClientsWrongGuesses() throws Exception {
        String slug = protectedDrop();
        for (int i = 0; i < 5; i++) {
            assertEquals(403, rawUnlock("127.0.0.40", slug, "wrong-" + i).status());
        }
        assertEquals(429, rawUnlock("127.0.0.40", slug, RIGHT).status());

        RawAnswer other = rawUnlock("127.0.0.41", slug, RIGHT);

        assertEquals(200, other.status(), other.toString());
        assertTrue(other.body().contains("\"token\""), other.body());
    }

    /** One answer read off a raw socket: status line, headers (names in lower case) and body. */
    record RawAnswer(int status, List<String> headers, String body) {
        String header(String name) {
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                    .map(h -> h.substring(h.indexOf(':') + 1).strip()).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + headers));
        }
    }

    /**
     * {@code POST /api/drops/{slug}/unlock} from the loopback address {@code source}: the JDK's HTTP client
     * cannot choose its local address, a socket can.
     */
    private static RawAnswer rawUnlock(String source, String slug, String password) {
        byte[] body = ("{\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        int port = TeledropClient.BASE.getPort();
        String head = "POST /api/drops/" + slug + "/unlock HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), List.of(lines).subList(1, lines.length), text.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
