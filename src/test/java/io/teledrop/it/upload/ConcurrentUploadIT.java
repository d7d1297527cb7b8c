package io.teledrop.it.upload;

import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many writers at once against SQLite: WAL and the busy timeout must make them wait, never fail. */
@ExtendWith(ArquillianExtension.class)
class ConcurrentUploadIT {

    private static final int PARALLEL = 32;

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void thirtyTwoParallelUploadsAllSucceedWithDistinctSlugsAndAllRowsPresent() throws Exception {
        List<Callable<HttpResponse<String>>> uploads = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            byte[] content = randomBytes(64 * 1024 + i, 100 + i);
            contents.add(content);
            int index = i;
            // Half multipart, half raw PUT: both paths write through the same transaction.
            uploads.add(() -> index % 2 == 0
                    ? client.postMultipart(new Multipart().field("title", "parallel " + index).file("file", "p" + index + ".bin", "application/octet-stream", content))
                    : client.put("p" + index + ".bin", content, "Teledrop-Title", "parallel " + index));
        }

        List<HttpResponse<String>> responses = runTogether(uploads);

        Set<String> slugs = new HashSet<>();
        for (int i = 0; i < PARALLEL; i++) {
            HttpResponse<String> response = responses.get(i);
            assertEquals(201, response.statusCode(), response.body());
            JsonObject drop = json(response);
            slugs.add(drop.getString("slug"));
            HttpResponse<String> row = client.send(client.request("api/drops/" + drop.getString("slug")).GET().build());
            assertEquals(200, row.statusCode(), row.body());
            assertEquals("parallel " + i, json(row).getString("title"));
            assertEquals(sha256(contents.get(i)), json(row).getJsonArray("files").getJsonObject(0).getString("sha256"));
        }
        assertEquals(PARALLEL, slugs.size());
    }

    @Test
    void ofConcurrentRequestsForOneSlugExactlyOneWinsAndLosersLeaveNoBlob() throws Exception {
        String slug = "race-" + UUID.randomUUID().toString().substring(0, 8);
        long blobsBefore = blobCount();
        List<Callable<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] content = randomBytes(100_000, 500 + i);
            uploads.add(() -> client.put("race.bin", content, "Teledrop-Slug", slug));
        }

        List<HttpResponse<String>> responses = runTogether(uploads);

        long created = responses.stream().filter(r -> r.statusCode() == 201).count();
        long conflicts = responses.stream().filter(r -> r.statusCode() == 409).count();
        assertEquals(1, created, () -> responses.stream().map(r -> r.statusCode() + " " + r.body()).toList().toString());
        assertEquals(7, conflicts);
        assertEquals(blobsBefore + 1, blobCount());
        assertEquals(0, TeledropClient.leftoverTempFiles());
    }

    /** Starts every task at the same moment and returns their results in order. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
