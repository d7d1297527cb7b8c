package io.teledrop.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The files the fault tests make and look for on disk. */
final class FaultFiles {

    /** The server the fault tests start, kill and restart (pom.xml, {@code prepare-faults-server}). */
    static final String SERVER = System.getProperty("teledrop.faults.server", "teledrop-faults");

    private FaultFiles() {
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The regular files under each of {@code dirs} that exists (temp files a failure may have left). */
    static List<String> filesUnder(Path... dirs) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(Files::isRegularFile).map(Path::toString).forEach(found::add);
                }
            }
        }
        return found;
    }
}
