package io.teledrop.it.cluster;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.signin.IdentityProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Three Teledrop servers behind nginx, sharing a PostgreSQL database (a new one in the build's server) and an
 * S3 bucket (an S3Proxy of their own), as docs/cluster.md sets one up. Started once for all cluster test
 * classes (they run in one JVM) and stopped when that JVM ends; every process also dies with the JVM (Reaper).
 * Node 1 gets its database from the environment (TELEDROP_DB_URL…), nodes 2 and 3 from a data source override
 * in configDropins, the two ways README offers an operator. They sign people in with one identity provider
 * ({@link IdentityProvider}, in this JVM).
 */
public final class Cluster {

    static final String DATABASE = "teledrop_cluster";
    static final String BUCKET = "teledrop-cluster";
    static final String S3_ACCESS_KEY = "teledrop-cluster";
    static final String S3_SECRET_KEY = "teledrop-cluster-secret-0123456789";
    static final String TOKEN_SECRET = "cluster-token-secret-shared-by-every-node-0123456789";
    static final String SWEEP_INTERVAL = "PT2S";
    static final String RECONCILE_INTERVAL = "PT3S";
    static final String ORPHAN_GRACE = "PT20S";
    /** Scheduled backups into the bucket, often enough for ClusterBackupIT to see several while the other tests run. */
    static final String BACKUP_SCHEDULE = "PT10S";
    static final int BACKUP_KEEP = 2;
    /** Every node publishes drop events here (the build's Kafka broker); a topic of this run's own. */
    static final String EVENTS_TOPIC = "teledrop-cluster-" + ProcessHandle.current().pid();

    /** Sessions (and the Faces views kept in them) in the shared database, as docs/cluster.md configures them. */
    static final String SESSIONS = """
            <server>
                <featureManager>
                    <feature>sessionDatabase-1.0</feature>
                </featureManager>
                <httpSessionDatabase id="teledropSessions" dataSourceRef="teledropDataSource" tableName="teledrop_http_sessions"
                                     writeFrequency="END_OF_SERVLET_SERVICE" writeContents="ALL_SESSION_ATTRIBUTES"/>
                <httpSession storageRef="teledropSessions"/>
            </server>
            """;

    private static Cluster running;

    private final List<LibertyServer> nodes = new ArrayList<>();
    private final S3Server s3;
    /** The identity provider people sign in with and API clients get tokens from (it.signin). */
    private final IdentityProvider identityProvider;
    private final Balancer balancer;
    private final URI base;

    /** The running cluster, started by the first caller. */
    public static synchronized Cluster get() throws Exception {
        if (running == null) {
            Cluster cluster = new Cluster();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-stop"));
            running = cluster;
        }
        return running;
    }

    private Cluster() throws Exception {
        Path folder = ClusterSettings.FOLDER;
        deleteTree(folder);
        Files.createDirectories(folder);
        createDatabase();
        List<Integer> ports = ClusterSettings.PORTS;
        s3 = new S3Server(folder.resolve("s3"), ports.get(ports.size() - 1), BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY);
        s3.start();
        identityProvider = new IdentityProvider();
        List<Integer> nodePorts = new ArrayList<>();
        for (int i = 0; i < ClusterSettings.NODE_NAMES.size(); i++) {
            int port = ports.get(i + 1);
            nodePorts.add(port);
            Path nodeFolder = folder.resolve("node-" + (i + 1));
            LibertyServer node = new LibertyServer(ClusterSettings.NODE_NAMES.get(i), URI.create("http://127.0.0.1:" + port + "/"),
                    settings(nodeFolder, i == 0, identityProvider), nodeFolder.resolve("console.log"));
            node.configDropin("teledrop-db.xml", i == 0 ? "<server/>\n" : """
                    <server>
                        <dataSource id="teledropDataSource">
                            <properties URL="%s" user="%s" password="%s"/>
                        </dataSource>
                    </server>
                    """.formatted(databaseUrl(), ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD));
            node.configDropin("teledrop-sessions.xml", SESSIONS);
            if (i > 0) {
                writePgpass(nodeFolder.resolve("pgpass"));
            }
            nodes.add(node);
        }
        for (LibertyServer node : nodes) {
            node.launch();
        }
        for (LibertyServer node : nodes) {
            node.awaitReady("health/ready");
        }
        base = URI.create("http://127.0.0.1:" + ports.get(0) + "/");
        balancer = new Balancer(folder.resolve("nginx"), ports.get(0), nodePorts);
    }

    /** The balancer's address: where users reach the cluster. */
    public URI base() {
        return base;
    }

    /** The nodes, in the balancer's order. */
    public List<LibertyServer> nodes() {
        return nodes;
    }

    public IdentityProvider identityProvider() {
        return identityProvider;
    }

    public S3Server s3() {
        return s3;
    }

    /** The folder of the bucket's objects (S3Proxy's filesystem store). */
    public Path bucketFolder() {
        return s3.bucketFolder(BUCKET);
    }

    /** A connection to the cluster's database, as the test's own client. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(databaseUrl(), ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD);
    }

    /** Stops the build's PostgreSQL, keeping its data ({@code bin/test-postgresql.sh pause}). */
    public void pauseDatabase() throws IOException, InterruptedException {
        postgresql("pause");
    }

    /** Starts it again as it was. */
    public void resumeDatabase() throws IOException, InterruptedException {
        postgresql("resume");
    }

    static String databaseUrl() {
        URI admin = URI.create(ClusterSettings.PG_URL.substring("jdbc:".length()));
        return "jdbc:postgresql://" + admin.getHost() + ":" + admin.getPort() + "/" + DATABASE;
    }

    /** The settings node {@code index} (0-based) was started with. */
    Map<String, String> settingsOf(int index) {
        return settings(ClusterSettings.FOLDER.resolve("node-" + (index + 1)), index == 0, identityProvider);
    }

    private static Map<String, String> settings(Path nodeFolder, boolean databaseFromEnvironment, IdentityProvider identityProvider) {
        Map<String, String> settings = new LinkedHashMap<>(identityProvider.settings());
        settings.put("teledrop.data.dir", nodeFolder.resolve("data").toString());
        if (databaseFromEnvironment) {
            settings.put("teledrop.db.url", databaseUrl());
            settings.put("teledrop.db.user", ClusterSettings.PG_USER);
            settings.put("teledrop.db.password", ClusterSettings.PG_PASSWORD);
        } else {
            // Teledrop does not know the password of a data source of the operator's own: pg_dump reads libpq's file.
            settings.put("pgpassfile", nodeFolder.resolve("pgpass").toString());
        }
        settings.put("teledrop.storage.type", "s3");
        settings.put("teledrop.storage.s3.endpoint", "http://127.0.0.1:" + ClusterSettings.PORTS.get(ClusterSettings.PORTS.size() - 1));
        settings.put("teledrop.storage.s3.bucket", BUCKET);
        settings.put("teledrop.storage.s3.access-key", S3_ACCESS_KEY);
        settings.put("teledrop.storage.s3.secret-key", S3_SECRET_KEY);
        settings.put("teledrop.storage.s3.path-style-access", "true");
        settings.put("teledrop.storage.s3.part-size", "5MiB");
        settings.put("teledrop.storage.s3.max-attempts", "2");
        settings.put("teledrop.auth.token-secret", TOKEN_SECRET);
        settings.put("teledrop.auth.bootstrap-key", ClusterSettings.API_KEY);
        settings.put("teledrop.maintenance.sweep-interval", SWEEP_INTERVAL);
        settings.put("teledrop.maintenance.reconcile-interval", RECONCILE_INTERVAL);
        settings.put("teledrop.maintenance.orphan-grace", ORPHAN_GRACE);
        settings.put("teledrop.backup.schedule", BACKUP_SCHEDULE);
        settings.put("teledrop.backup.keep", String.valueOf(BACKUP_KEEP));
        settings.put("teledrop.events.heartbeat", "PT2S");
        settings.put("teledrop.events.kafka.bootstrap-servers", io.teledrop.it.kafka.KafkaBroker.fromBuild().bootstrap());
        settings.put("teledrop.events.kafka.topic", EVENTS_TOPIC);
        return settings;
    }

    /** libpq's password file (host:port:database:user:password), which it reads only when no one else may (0600). */
    private static void writePgpass(Path file) throws IOException {
        URI server = URI.create(databaseUrl().substring("jdbc:".length()));
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, server.getHost() + ":" + server.getPort() + ":" + DATABASE + ":" + ClusterSettings.PG_USER + ":" + ClusterSettings.PG_PASSWORD + "\n");
    }

    private static void createDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection(ClusterSettings.PG_URL, ClusterSettings.PG_USER, ClusterSettings.PG_PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void postgresql(String action) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "bin/test-postgresql.sh", action, ClusterSettings.PG_FOLDER.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("bin/test-postgresql.sh " + action + " failed");
        }
    }

    private void close() {
        try {
            if (balancer != null) {
                balancer.close();
            }
            for (LibertyServer node : nodes) {
                node.close();
            }
            s3.close();
            identityProvider.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
