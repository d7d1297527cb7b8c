package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.get;
import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.sha256;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.RestoredBackup;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scheduled backups of the cluster (issue 21; README, "Scheduled backups"): every node runs the schedule
 * ({@code PT10S}, keep 2), one node per due time writes a {@code pg_dump} of the shared PostgreSQL into the shared
 * bucket ({@code .backups/<name>/teledrop.pgdump}), the older ones are pruned there whichever node wrote them, and
 * the newest restores into a new database with a drop uploaded before it. Each due time is taken by one node. Node 1 hands {@code pg_dump} the
 * password it was configured with, nodes 2 and 3 (a data source of their own) let it read libpq's password file.
 */
class ClusterBackupIT {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern WRITTEN = Pattern.compile("Backup written: Backup\\[name=(\\d{8}-\\d{6}-\\d{3}), location=s3://");
    private static final Pattern TAKEN = Pattern.compile("Backing up for the due time (\\S+) on ");

    private static Cluster cluster;
    private static S3Client s3;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
        s3 = S3Client.builder().endpointOverride(cluster.s3().endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Cluster.S3_ACCESS_KEY, Cluster.S3_SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void closeClient() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void oneNodeBacksUpPerDueTimeIntoTheBucketKeepingTheNewestTwoAndTheNewestRestores() throws Exception {
        byte[] content = new byte[300_000];
        new Random(21).nextBytes(content);
        HttpResponse<String> uploaded = upload(cluster.base(), "before-backup.bin", content);
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String slug = json(uploaded).getString("slug");
        String uploadedAt = NAME.format(Instant.now());
        TreeSet<String> before = backupsInTheBucket();

        String first = await("a backup after the upload", () -> backupsInTheBucket().stream().filter(n -> n.compareTo(uploadedAt) > 0).findFirst().orElse(null));
        String second = await("the backup after " + first, () -> backupsInTheBucket().stream().filter(n -> n.compareTo(first) > 0).findFirst().orElse(null));

        // Retention in the bucket: keep 2, so whatever was there before the upload is gone, whichever node wrote it.
        TreeSet<String> kept = await("the bucket pruned to " + Cluster.BACKUP_KEEP, () -> {
            TreeSet<String> now = backupsInTheBucket();
            return now.size() <= Cluster.BACKUP_KEEP && now.stream().noneMatch(before::contains) ? now : null;
        });
        assertTrue(kept.first().compareTo(first) >= 0, "only backups since the upload are kept: " + kept + ", before it: " + before);

        // Once per due time for the whole cluster: each node logs the due times whose lease it took; without the
        // lease every node would take every due time.
        List<String> dueTimesTaken = new ArrayList<>();
        TreeSet<String> written = new TreeSet<>();
        for (LibertyServer node : cluster.nodes()) {
            for (String line : node.messages()) {
                Matcher taken = TAKEN.matcher(line);
                if (taken.find()) {
                    dueTimesTaken.add(taken.group(1));
                }
                Matcher backup = WRITTEN.matcher(line);
                if (backup.find()) {
                    written.add(backup.group(1));
                }
            }
        }
        assertEquals(dueTimesTaken.size(), new TreeSet<>(dueTimesTaken).size(), "each due time is taken by one node: " + dueTimesTaken);
        assertTrue(dueTimesTaken.size() >= 2, "at least the due times of " + first + " and " + second + ": " + dueTimesTaken);
        assertTrue(written.containsAll(List.of(first, second)), "the nodes' logs name the backups in the bucket: " + written);

        // Every node reports the shared outcome.
        for (LibertyServer node : cluster.nodes()) {
            JsonObject check = backupCheck(node.base());
            assertEquals("UP", check.getString("status"), check.toString());
            assertEquals("ok", check.getJsonObject("data").getString("status"), node.base() + ": " + check);
        }

        // The newest restores: fetched from the bucket as an operator would, then bin/restore.sh into a new database.
        String newest = backupsInTheBucket().last();
        Path folder = Files.createDirectories(work.resolve(newest));
        s3.getObject(b -> b.bucket(Cluster.BUCKET).key(".backups/" + newest + "/teledrop.pgdump"), folder.resolve("teledrop.pgdump"));
        String database = "restored_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        URI server = URI.create(ClusterSettings.PG_URL.substring("jdbc:".length()));
        try (Connection admin = DriverManager.getConnection(ClusterSettings.PG_URL, ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try {
            ProcessBuilder restore = new ProcessBuilder("bash", "bin/restore.sh", folder.toString(), work.resolve("data").toString(),
                    "postgresql://" + ClusterSettings.PG_USER + "@" + server.getHost() + ":" + server.getPort() + "/" + database).redirectErrorStream(true);
            restore.environment().put("PGPASSWORD", ClusterSettings.PG_PASSWORD);
            Process process = restore.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + "/" + database,
                    ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD)) {
                // S3 storage: the blobs stay in the bucket, the backup is the database.
                RestoredBackup.assertHolds(db, null, Map.of(slug, sha256(content)));
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(ClusterSettings.PG_URL, ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** The names of the finished backups in the bucket: those whose database file is there. */
    private static TreeSet<String> backupsInTheBucket() {
        TreeSet<String> names = new TreeSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(Cluster.BUCKET).prefix(".backups/")).contents()) {
            String[] parts = object.key().split("/");
            if (parts.length == 3 && parts[2].equals("teledrop.pgdump")) {
                names.add(parts[1]);
            }
        }
        return names;
    }

    private static JsonObject backupCheck(URI node) {
        JsonObject health = json(get(node, "health/live"));
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("backup")).findFirst().orElseThrow(() -> new AssertionError(health.toString()));
    }

    /** Waits up to 2 minutes (the schedule is every 10 s) until {@code what} gives a value, and returns it. */
    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 2 minutes; in the bucket: " + backupsInTheBucket());
            }
            Thread.sleep(500);
        }
    }
}
