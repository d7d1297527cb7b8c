package io.teledrop.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file of lines, rolled over by size with a bounded number of old files kept, like Liberty's own logs:
 * {@code audit.log} is written; once a line would take it past {@code maxSize} it becomes {@code audit.log.1}, the
 * older ones move up one ({@code .1} → {@code .2} …) and the one past {@code maxFiles} is deleted. Each line is
 * written whole with one append and forced to the disk, so a crash loses no event that was reported written.
 * Thread-safe (one writer at a time); opened on the first line, so a file that cannot be made costs nothing until then.
 */
final class AuditFile implements AutoCloseable {

    private final Path file;
    private final long maxSize;
    private final int maxFiles;
    private FileChannel channel;

    AuditFile(Path file, long maxSize, int maxFiles) {
        this.file = file.toAbsolutePath();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
    }

    Path path() {
        return file;
    }

    /** Appends {@code line} and a newline. */
    synchronized void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        FileChannel out = open();
        if (out.size() > 0 && out.size() + bytes.length > maxSize) {
            rollOver();
            out = open();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        out.force(false);
    }

    private FileChannel open() throws IOException {
        if (channel == null || !channel.isOpen()) {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return channel;
    }

    private void rollOver() throws IOException {
        close();
        Files.deleteIfExists(numbered(maxFiles));
        for (int n = maxFiles - 1; n >= 1; n--) {
            if (Files.exists(numbered(n))) {
                Files.move(numbered(n), numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            FileChannel open = channel;
            channel = null;
            open.close();
        }
    }
}
