package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.on;
import static io.teledrop.it.cluster.Nodes.send;
import static io.teledrop.it.cluster.Nodes.sendForBytes;
import static io.teledrop.it.cluster.Nodes.sha256;
import static io.teledrop.it.resumable.Resumable.tusPatchRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.resumable.Resumable;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resumable uploads in the cluster: an upload's pieces go to different nodes (its state is in PostgreSQL, its
 * bytes one S3 multipart upload), two nodes racing on one upload corrupt nothing, a node killed mid-append
 * leaves the upload to another, and reconciliation never removes a live upload's bytes.
 */
class ResumableAcrossNodesIT {

    private static final int MIB = 1024 * 1024;
    private static Cluster cluster;
    private static List<LibertyServer> nodes;
    /** Creates uploads on the first node; its other requests go to whichever node the URL given names. */
    private static Resumable tus;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
        nodes = cluster.nodes();
        tus = new Resumable(nodes.get(0).base());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The upload's URL as another node serves it. */
    private static URI via(URI node, URI upload) {
        return on(node, upload.toString());
    }

    private static void assertStored(byte[] bytes, HttpResponse<String> last, URI readFrom) {
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(sha256(bytes), last.headers().firstValue("Teledrop-Sha256").orElseThrow());
        HttpResponse<byte[]> download = sendForBytes(HttpRequest.newBuilder(on(readFrom, last.headers().firstValue("Teledrop-File-Url").orElseThrow())).build());
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
    }

    @Test
    void piecesOnThreeNodesMakeOneFile() {
        byte[] bytes = random(14 * MIB, 70);
        URI upload = tus.tusUpload(bytes.length, null);
        assertEquals(204, send(tusPatchRequest(via(nodes.get(1).base(), upload), 0, bytes, 0, 4 * MIB)).statusCode());
        assertEquals(204, send(tusPatchRequest(via(nodes.get(2).base(), upload), 4 * MIB, bytes, 4 * MIB, 11 * MIB)).statusCode());
        assertEquals(11 * MIB, tus.offsetOf(via(nodes.get(0).base(), upload)));
        assertEquals(11 * MIB, tus.offsetOf(via(cluster.base(), upload)));
        assertStored(bytes, send(tusPatchRequest(upload, 11 * MIB, bytes, 11 * MIB, bytes.length)), nodes.get(2).base());
    }

    @Test
    void twoNodesRacingOnOneUploadCorruptNothing() throws Exception {
        byte[] a = random(6 * MIB, 71);
        byte[] b = random(6 * MIB, 72);
        URI upload = tus.tusUpload(6 * MIB + 5, null);
        CompletableFuture<HttpResponse<String>> first = Nodes.HTTP.sendAsync(tusPatchRequest(via(nodes.get(1).base(), upload), 0, a, 0, a.length),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> second = Nodes.HTTP.sendAsync(tusPatchRequest(via(nodes.get(2).base(), upload), 0, b, 0, b.length),
                HttpResponse.BodyHandlers.ofString());
        List<Integer> statuses = List.of(first.get().statusCode(), second.get().statusCode()).stream().sorted().toList();
        assertEquals(204, statuses.get(0), statuses.toString());
        assertTrue(statuses.get(1) == 409 || statuses.get(1) == 423, statuses.toString());
        byte[] whole = new byte[6 * MIB + 5];
        System.arraycopy(first.get().statusCode() == 204 ? a : b, 0, whole, 0, 6 * MIB);
        assertStored(whole, send(tusPatchRequest(upload, 6 * MIB, whole, 6 * MIB, whole.length)), nodes.get(0).base());
    }

    @Test
    void anIdleUploadOutlivesReconciliation() throws Exception {
        byte[] bytes = random(8 * MIB, 73);
        URI upload = tus.tusUpload(bytes.length, null);
        assertEquals(204, send(tusPatchRequest(upload, 0, bytes, 0, 6 * MIB)).statusCode());
        // Past the orphan grace (20 s), with reconciliation every 3 s: its part and its tail must stay.
        Thread.sleep(Duration.ofSeconds(26).toMillis());
        assertStored(bytes, send(tusPatchRequest(via(nodes.get(1).base(), upload), 6 * MIB, bytes, 6 * MIB, bytes.length)), nodes.get(2).base());
    }

    @Test
    void aNodeKilledMidAppendLeavesTheUploadToAnother() throws Exception {
        byte[] bytes = random(20 * MIB, 74);
        URI upload = tus.tusUpload(bytes.length, null);
        LibertyServer victim = nodes.get(1);
        URI onVictim = via(victim.base(), upload);
        try {
            try (Socket socket = new Socket(onVictim.getHost(), onVictim.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PATCH " + onVictim.getRawPath() + " HTTP/1.1\r\nHost: " + onVictim.getHost() + ":" + onVictim.getPort()
                        + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
                        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, 0, 12 * MIB);
                out.flush();
                URI onOther = via(nodes.get(2).base(), upload);
                for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); tus.offsetOf(onOther) < 10 * MIB; Thread.sleep(200)) {
                    assertTrue(System.nanoTime() < deadline, "no part recorded within 30 s");
                }
                victim.kill();
            }
            URI survivor = via(nodes.get(2).base(), upload);
            long offset = tus.offsetOf(survivor);
            assertTrue(offset >= 10 * MIB && offset <= 12 * MIB, "resumes from the parts recorded: " + offset);
            HttpResponse<String> last;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                Thread.sleep(1000);
                last = send(tusPatchRequest(survivor, offset, bytes, (int) offset, bytes.length));
            } while (last.statusCode() == 423 && System.nanoTime() < deadline); // the dead node's claim runs out
            assertStored(bytes, last, nodes.get(0).base());
        } finally {
            if (!victim.running()) {
                victim.start("health/ready");
            }
        }
    }
}
