package io.teledrop.ops;

import io.teledrop.storage.BackupShelf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backups as folders {@code <folder>/<name>/} (the data folder's {@code backups/}): a backup is written beside
 * them as {@code .partial-<name>} and renamed once complete, which is atomic within the folder.
 */
final class FolderShelf implements BackupShelf {

    private final Path folder;

    FolderShelf(Path folder) {
        this.folder = folder;
    }

    @Override
    public String put(String name, Path written) throws IOException {
        Path target = folder.resolve(name);
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        return target.toString();
    }

    @Override
    public List<String> names() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> DATABASE_FILES.stream().anyMatch(file -> Files.isRegularFile(p.resolve(file), LinkOption.NOFOLLOW_LINKS)))
                    .map(p -> p.getFileName().toString()).toList();
        }
    }

    @Override
    public void remove(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a backup's name: " + name);
        }
        Path backup = folder.resolve(name);
        // The database file first: a removal cut short leaves no backup that looks finished but is not whole.
        for (String file : DATABASE_FILES) {
            Files.deleteIfExists(backup.resolve(file));
        }
        deleteTree(backup);
    }

    @Override
    public String location() {
        return folder.toString();
    }

    /** Deletes a folder and everything in it, deepest first; links are removed, never followed. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
