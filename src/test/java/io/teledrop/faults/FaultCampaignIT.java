package io.teledrop.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.teledrop.it.LibertyServer;
import io.teledrop.faults.Uploads.Planned;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crash campaign: rounds of {@value #UPLOADS_PER_ROUND} parallel uploads of random sizes (raw PUT and
 * multipart POST), each round ended by SIGKILL to the Liberty JVM while uploads are in flight. After every
 * restart, once reconciliation has run: every upload that got a 201 downloads with its SHA-256; an upload cut
 * off by the kill either does not exist or is complete (never partial); no blob without a row, no row
 * without a blob, no temp files. The figures go to {@code target/faults/fault-campaign.md}.
 */
class FaultCampaignIT {

    static final int ROUNDS = Integer.getInteger("teledrop.faults.rounds", 5);
    static final int UPLOADS_PER_ROUND = Integer.getInteger("teledrop.faults.uploads", 200);
    static final long MAX_SIZE = 32L * 1024 * 1024;
    static final Duration GRACE = Duration.ofSeconds(10);
    static final Path WORK = Path.of("target/faults/campaign").toAbsolutePath();
    static final Path DATA = WORK.resolve("data");
    static final Path BLOBS = DATA.resolve("blobs");

    private final long seed = Long.getLong("teledrop.faults.seed", 20261123L);
    private final SplittableRandom random = new SplittableRandom(seed);
    private final List<Planned> acknowledged = new ArrayList<>();
    private final Map<String, Integer> figures = new LinkedHashMap<>();
    private final List<String> rounds = new ArrayList<>();

    @Test
    void killedAgainAndAgainUnderLoadItLosesNothingAcknowledgedAndLeavesNothingBehind() throws Exception {
        FaultFiles.deleteTree(WORK);
        Map<String, String> settings = Map.of(
                "teledrop.data.dir", DATA.toString(),
                "teledrop.storage.fsync", "true",
                "teledrop.maintenance.orphan-grace", GRACE.toString(),
                "teledrop.maintenance.reconcile-interval", "PT2S",
                "teledrop.health.min-free-space", "64MiB",
                "teledrop.log.format", "JSON");
        try (LibertyServer server = new LibertyServer(FaultFiles.SERVER, LibertyServer.BASE, settings, WORK.resolve("console.log"))) {
            server.start("health/ready");
            for (int round = 1; round <= ROUNDS; round++) {
                runRound(server, round);
            }
            verifyAll(acknowledged, "every acknowledged upload, after the last restart");
            count("acknowledged, verified again at the end", acknowledged.size());
            server.stop();
        }
        Consistency end = Consistency.read();
        assertEquals(List.of(), end.rowsWithoutBlob, "rows without a blob after a clean stop");
        assertEquals(List.of(), end.blobsWithoutRow, "blobs without a row after a clean stop");
        assertEquals(List.of(), end.temporaries, "temp files after a clean stop");
        writeReport();
        // All checked: the data (about 1 GB of blobs) goes, the console log and the report stay.
        FaultFiles.deleteTree(DATA);
    }

    private void runRound(LibertyServer server, int round) throws Exception {
        List<Planned> plans = IntStream.range(0, UPLOADS_PER_ROUND).parallel()
                .mapToObj(i -> plan(round, i)).toList();
        int killAfter = 20 + random.nextInt(UPLOADS_PER_ROUND - 40);
        long killDelayMillis = random.nextInt(300);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (Planned plan : plans) {
            calls.add(http.sendAsync(plan.request(LibertyServer.BASE), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> answered.incrementAndGet()));
        }
        while (answered.get() < killAfter) {
            Thread.sleep(2);
        }
        Thread.sleep(killDelayMillis);
        int answeredAtKill = answered.get();
        server.kill();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(120, TimeUnit.SECONDS);

        List<Planned> acked = new ArrayList<>();
        List<Planned> unacknowledged = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Planned plan = plans.get(i);
            HttpResponse<String> response = calls.get(i).isCompletedExceptionally() ? null : calls.get(i).join();
            statuses.merge(response == null ? "cut off" : String.valueOf(response.statusCode()), 1, Integer::sum);
            if (response != null && response.statusCode() == 201) {
                JsonObject file = LibertyServer.json(response.body()).getJsonArray("files").getJsonObject(0);
                assertEquals(plan.sha256(), file.getString("sha256"), "the 201 of " + plan.slug() + " names another SHA-256");
                assertEquals(plan.size(), file.getJsonNumber("size").longValue(), "the 201 of " + plan.slug() + " names another size");
                acked.add(plan);
            } else {
                unacknowledged.add(plan);
            }
        }

        server.start("health/ready");
        Consistency atRestart = Consistency.read();
        assertEquals(List.of(), atRestart.rowsWithoutBlob, "round " + round + ": rows without a blob at restart");
        Consistency settled = awaitReconciled(round);
        verifyAll(acked, "round " + round + ": acknowledged uploads");
        count("acknowledged, verified after the restart (SHA-256 of the download)", acked.size());
        int committedUnacknowledged = verifyUnacknowledged(unacknowledged, round);
        acknowledged.addAll(acked);

        count("uploads attempted", plans.size());
        count("acknowledged (201)", acked.size());
        count("answered otherwise", plans.size() - acked.size() - statuses.getOrDefault("cut off", 0));
        count("cut off by the kill", statuses.getOrDefault("cut off", 0));
        count("cut off but committed (complete, downloadable)", committedUnacknowledged);
        count("orphan blobs found at restart", atRestart.blobsWithoutRow.size());
        count("temp files found at restart", atRestart.temporaries.size());
        count("orphan blobs removed by reconciliation", (int) metric("teledrop_reconcile_removed_orphans_total"));
        count("temp files removed by reconciliation", (int) metric("teledrop_reconcile_removed_temporaries_total"));
        count("orphan blobs left", settled.blobsWithoutRow.size());
        count("temp files left", settled.temporaries.size());
        count("rows without a blob", settled.rowsWithoutBlob.size());
        rounds.add("| " + round + " | " + answeredAtKill + " + " + killDelayMillis + " ms | " + statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")) + " | " + atRestart.blobsWithoutRow.size() + " | "
                + atRestart.temporaries.size() + " | " + committedUnacknowledged + " |");
    }

    private Planned plan(int round, int index) {
        SplittableRandom own = new SplittableRandom(seed * 31 + round * 1_000_003L + index);
        // Log-uniform from 1 byte to 32 MiB, so most are small and a few are large; some are empty.
        long size = index % 50 == 0 ? 0 : (long) Math.exp(own.nextDouble() * Math.log(MAX_SIZE));
        return Uploads.plan("fc" + round + "-" + index, "file-" + round + "-" + index + ".bin", size, own.nextLong(), index % 2 == 1);
    }

    /** Waits until reconciliation has removed what the kill left (the grace must pass first); rows never lack blobs. */
    private static Consistency awaitReconciled(int round) throws Exception {
        long deadline = System.nanoTime() + GRACE.plusSeconds(60).toNanos();
        while (true) {
            Consistency now = Consistency.read();
            assertEquals(List.of(), now.rowsWithoutBlob, "round " + round + ": rows without a blob");
            if (now.blobsWithoutRow.isEmpty() && now.temporaries.isEmpty()) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                fail("round " + round + ": reconciliation left " + now.blobsWithoutRow.size() + " orphan blobs and "
                        + now.temporaries + " temp files");
            }
            Thread.sleep(1000);
        }
    }

    /** Each drop's file has the planned SHA-256 in its metadata and in the bytes it downloads. */
    private void verifyAll(List<Planned> plans, String what) throws Exception {
        HttpClient http = freshClient();
        for (Planned plan : plans) {
            HttpResponse<String> drop = http.send(HttpRequest.newBuilder(LibertyServer.BASE.resolve("api/drops/" + plan.slug())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, drop.statusCode(), what + ": " + plan.slug() + " answers " + drop.body());
            verifyFile(http, plan, LibertyServer.json(drop.body()), what);
        }
    }

    private static void verifyFile(HttpClient http, Planned plan, JsonObject drop, String what) throws Exception {
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        assertEquals(plan.sha256(), file.getString("sha256"), what + ": " + plan.slug() + " metadata");
        HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(file.getString("downloadUrl"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode(), what + ": " + plan.slug() + " download");
        try (InputStream body = download.body()) {
            assertEquals(plan.sha256(), Uploads.sha256(body), what + ": " + plan.slug() + " downloaded bytes");
        }
    }

    /** An upload the kill cut off either never became a drop or became a complete one; counts the latter. */
    private static int verifyUnacknowledged(List<Planned> plans, int round) throws Exception {
        HttpClient http = freshClient();
        int committed = 0;
        for (Planned plan : plans) {
            HttpResponse<String> drop = http.send(HttpRequest.newBuilder(LibertyServer.BASE.resolve("api/drops/" + plan.slug())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (drop.statusCode() == 200) {
                verifyFile(http, plan, LibertyServer.json(drop.body()), "round " + round + ": unacknowledged upload");
                committed++;
            } else {
                assertEquals(404, drop.statusCode(), "round " + round + ": unacknowledged " + plan.slug() + " answers " + drop.body());
            }
        }
        return committed;
    }

    private static double metric(String name) throws Exception {
        HttpClient http = freshClient();
        String text = http.send(HttpRequest.newBuilder(LibertyServer.BASE.resolve("metrics?scope=application")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})?\\s+(\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    private void count(String figure, int value) {
        figures.merge(figure, value, Integer::sum);
    }

    private void writeReport() throws IOException {
        StringBuilder report = new StringBuilder();
        report.append("Fault campaign: ").append(ROUNDS).append(" rounds of ").append(UPLOADS_PER_ROUND)
                .append(" parallel uploads (1 B to 32 MiB, log-uniform; half PUT, half multipart POST), SIGKILL once per round, fsync on.\n\n");
        report.append("| Figure | Total |\n|---|---:|\n");
        figures.forEach((k, v) -> report.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        report.append("\n| Round | Killed after (answers + delay) | Outcomes | Orphan blobs at restart | Temp files at restart | Committed, not acknowledged |\n|---:|---|---|---:|---:|---:|\n");
        rounds.forEach(r -> report.append(r).append('\n'));
        Files.writeString(WORK.resolve("fault-campaign.md"), report);
        System.out.println(report);
    }

    /** A client of its own for each check: pooled connections do not outlive a killed server. */
    private static HttpClient freshClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Rows and blobs compared, and leftover temp files, read straight from the database file and the disk. */
    record Consistency(List<String> rowsWithoutBlob, List<String> blobsWithoutRow, List<String> temporaries) {

        static Consistency read() throws Exception {
            Set<String> rows = new HashSet<>();
            Properties readOnly = new Properties();
            readOnly.setProperty("open_mode", "1");
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + DATA.resolve("teledrop.db"), readOnly);
                 Statement query = db.createStatement();
                 ResultSet keys = query.executeQuery("SELECT storage_key FROM stored_files")) {
                while (keys.next()) {
                    rows.add(keys.getString(1));
                }
            }
            Set<String> blobs = new HashSet<>();
            try (Stream<Path> files = Files.walk(BLOBS)) {
                files.filter(Files::isRegularFile).map(f -> BLOBS.relativize(f).toString().replace('\\', '/'))
                        .filter(key -> !key.startsWith(".")).forEach(blobs::add);
            }
            List<String> temporaries = FaultFiles.filesUnder(BLOBS.resolve(".tmp"), DATA.resolve("tmp"));
            return new Consistency(rows.stream().filter(k -> !blobs.contains(k)).sorted().toList(),
                    blobs.stream().filter(k -> !rows.contains(k)).sorted().toList(), temporaries);
        }
    }
}
