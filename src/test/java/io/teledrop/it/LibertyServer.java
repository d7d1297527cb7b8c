package io.teledrop.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Liberty server of the build's installation, run as a child process the test can kill (the fault and
 * cluster tests). The plugin creates it (pom.xml, {@code prepare-faults-server}, {@code prepare-cluster-nodes});
 * this writes its settings as environment variables in {@code server.env}, its ports in
 * {@code bootstrap.properties}, points it at the built WAR, and starts, kills and stops it. A watcher process
 * kills it if the test JVM dies first, so no server outlives the build.
 */
public final class LibertyServer implements AutoCloseable {

    public static final Path WLP = Path.of(System.getProperty("teledrop.it.wlp", "target/liberty/wlp"));
    public static final Path WAR = Path.of(System.getProperty("teledrop.it.war", "target/teledrop.war")).toAbsolutePath();
    /** The build's reserved HTTP port, free once the Arquillian servers have stopped. */
    public static final URI BASE = URI.create(System.getProperty("teledrop.it.base-url", "http://localhost:9080/"));

    private final String name;
    private final URI base;
    private final Path serverDir;
    private final Path consoleLog;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int starts;

    /**
     * Configures the server {@code name} to answer at {@code base} (its port is written to bootstrap.properties);
     * {@code settings} are Teledrop keys ({@code teledrop.storage.reserve}) and values.
     */
    public LibertyServer(String name, URI base, Map<String, String> settings, Path consoleLog) throws IOException {
        this.name = name;
        this.base = base;
        this.serverDir = WLP.resolve("usr/servers").resolve(name);
        if (!Files.isDirectory(serverDir)) {
            throw new IllegalStateException("no server at " + serverDir + ": run through mvn verify, which creates it");
        }
        this.consoleLog = consoleLog;
        settings(settings);
        Path dropin = Files.createDirectories(serverDir.resolve("configDropins/overrides"));
        Files.writeString(dropin.resolve("teledrop-app.xml"), """
                <server>
                    <webApplication id="teledrop" location="%s" contextRoot="/"/>
                </server>
                """.formatted(WAR));
        Path bootstrap = serverDir.resolve("bootstrap.properties");
        List<String> properties = new ArrayList<>();
        if (Files.exists(bootstrap)) {
            Files.readAllLines(bootstrap).stream().filter(line -> !line.startsWith("http.port=") && !line.startsWith("https.port="))
                    .forEach(properties::add);
        }
        properties.add("http.port=" + base.getPort());
        properties.add("https.port=-1");
        Files.write(bootstrap, properties);
        Files.createDirectories(consoleLog.getParent());
    }

    /** Replaces the server's Teledrop settings (server.env), read at the next start. */
    public void settings(Map<String, String> settings) throws IOException {
        List<String> env = new ArrayList<>();
        Path serverEnv = serverDir.resolve("server.env");
        if (Files.exists(serverEnv)) {
            // Keep what Liberty wrote itself (the keystore password); replace earlier runs' settings.
            Files.readAllLines(serverEnv).stream().filter(line -> !line.startsWith("TELEDROP_")).forEach(env::add);
        }
        settings.forEach((key, value) -> env.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "=" + value));
        Files.write(serverEnv, env);
    }

    public Path directory() {
        return serverDir;
    }

    public URI base() {
        return base;
    }

    public String name() {
        return name;
    }

    /** Adds or replaces {@code configDropins/overrides/<file>}, read at the next start. */
    public void configDropin(String file, String xml) throws IOException {
        Files.writeString(serverDir.resolve("configDropins/overrides").resolve(file), xml);
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the server and waits until the application answers {@code readyPath} with 200. */
    public void start(String readyPath) throws IOException, InterruptedException {
        launch();
        awaitReady(readyPath);
    }

    /** Starts the server without waiting for it. */
    public void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        starts++;
        ProcessBuilder builder = new ProcessBuilder(WLP.resolve("bin/server").toString(), "run", name)
                .redirectErrorStream(true)
                .redirectOutput(starts == 1 ? ProcessBuilder.Redirect.to(consoleLog.toFile()) : ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        process = builder.start();
        Reaper.killWhenTestEnds(process);
    }

    /** Waits until the application answers {@code readyPath} with 200. */
    public void awaitReady(String readyPath) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + consoleLog);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(base.resolve(readyPath)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // not listening yet
            } catch (IOException e) {
                // the port opens before the application is deployed
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not answer " + readyPath + " with 200 within 180 s; see " + consoleLog);
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or the OOM killer would end it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: Liberty stops cleanly. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A JSON answer of the server. */
    public static JsonObject json(String answer) {
        try (var reader = Json.createReader(new StringReader(answer))) {
            return reader.readObject();
        }
    }

    /** The lines of the server's {@code messages.log} (all rotations of it). */
    public List<String> messages() {
        try {
            return Files.readAllLines(serverDir.resolve("logs/messages.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
