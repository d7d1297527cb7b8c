package io.teledrop.it.cluster;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What pom.xml's cluster-tests execution tells the cluster tests: reserved ports, names, the build's PostgreSQL. */
final class ClusterSettings {

    /** Folder for everything the cluster writes: node data, logs, the balancer's files, the bucket. */
    static final Path FOLDER = Path.of(System.getProperty("teledrop.it.cluster.folder", "target/cluster")).toAbsolutePath();
    /** The Liberty servers pom.xml created for the nodes. */
    static final List<String> NODE_NAMES = List.of(System.getProperty("teledrop.it.cluster.nodes",
            "teledrop-node-1,teledrop-node-2,teledrop-node-3").split(","));
    /** Reserved ports: the balancer, one per node, S3Proxy. */
    static final List<Integer> PORTS = Arrays.stream(System.getProperty("teledrop.it.cluster.ports", "19180,19181,19182,19183,19189")
            .split(",")).map(String::strip).map(Integer::valueOf).toList();
    /** The build's PostgreSQL server (bin/test-postgresql.sh), in which the cluster gets a database of its own. */
    static final String PG_URL = System.getProperty("teledrop.it.pg.url", "jdbc:postgresql://127.0.0.1:5432/teledrop");
    static final String PG_USER = System.getProperty("teledrop.it.pg.user", "teledrop");
    static final String PG_PASSWORD = System.getProperty("teledrop.it.pg.password", "");
    static final Path PG_FOLDER = Path.of(System.getProperty("teledrop.it.pg.folder", "target/postgres")).toAbsolutePath();
    static final Path S3PROXY_JAR = Path.of(System.getProperty("teledrop.it.s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
    static final String API_KEY = System.getProperty("teledrop.it.api-key", "");

    private ClusterSettings() {
    }
}
