package io.teledrop.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Watches a folder tree (the container's multipart location) while a request runs, recording every regular
 * file that appears in it, however briefly it stays (polled every 10 ms). Close it to stop.
 */
public final class SpoolWatch implements AutoCloseable {

    private final Path root;
    private final Set<Path> before;
    private final Set<Path> appeared = ConcurrentHashMap.newKeySet();
    private final Thread poller;
    private volatile boolean running = true;

    public SpoolWatch(Path root) {
        this.root = root;
        this.before = files();
        this.poller = new Thread(() -> {
            while (running) {
                files().stream().filter(f -> !before.contains(f)).forEach(appeared::add);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "spool-watch");
        poller.setDaemon(true);
        poller.start();
    }

    /** The files that appeared since the watch began. */
    public Set<Path> appeared() {
        return Set.copyOf(appeared);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
        files().stream().filter(f -> !before.contains(f)).forEach(appeared::add);
    }

    private Set<Path> files() {
        try (Stream<Path> walk = Files.walk(root)) {
            Set<Path> files = ConcurrentHashMap.newKeySet();
            walk.filter(p -> {
                try {
                    return Files.isRegularFile(p);
                } catch (UncheckedIOException e) {
                    return false;
                }
            }).forEach(files::add);
            return files;
        } catch (NoSuchFileException | UncheckedIOException e) {
            return Set.of(); // a file vanished mid-walk: the next poll sees the tree again
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
