package io.teledrop.it.cluster;

import io.teledrop.it.Reaper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's own S3Proxy (the build's jar, a bucket folder under {@code folder}), a child process the fault
 * tests stop and start again on the same port and data.
 */
final class S3Server implements AutoCloseable {

    private final Path folder;
    private final int port;
    private Process process;

    S3Server(Path folder, int port, String bucket, String accessKey, String secretKey) throws IOException {
        this.folder = folder;
        this.port = port;
        Files.createDirectories(folder.resolve("data").resolve(bucket));
        Files.writeString(folder.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + folder.resolve("data").toAbsolutePath(), ""));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path bucketFolder(String bucket) {
        return folder.resolve("data").resolve(bucket);
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("java", "-Xmx256m", "-jar", ClusterSettings.S3PROXY_JAR.toString(), "--properties",
                folder.resolve("s3proxy.conf").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("s3proxy.log").toFile())).start();
        Reaper.killWhenTestEnds(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: see " + folder.resolve("s3proxy.log"));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.getResponseCode(); // any answer: it listens
                connection.disconnect();
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("S3Proxy did not listen on " + port + " within 60 s");
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
