package io.teledrop.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unlock-token secret kept in the data folder: made once, owner-only, the same for every later start. */
class TokenSecretFileTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartMakesAnOwnerOnlyFileAndTheNextStartReadsTheSameSecret() throws Exception {
        Path file = dataDir.resolve(TokenSecretFile.NAME);

        byte[] first = TokenSecretFile.loadOrCreate(file);
        byte[] second = TokenSecretFile.loadOrCreate(file);

        assertEquals(32, first.length);
        assertArrayEquals(first, second);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dataDir)) {
            assertEquals(List.of(file), files.toList(), "no staging file is left behind");
        }
    }

    @Test
    void aMissingDataFolderIsCreated() {
        Path file = dataDir.resolve("not/yet").resolve(TokenSecretFile.NAME);

        assertEquals(32, TokenSecretFile.loadOrCreate(file).length);
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void startsRacingOnOneFolderAllGetTheSecretThatWasKept() throws Exception {
        Path file = dataDir.resolve(TokenSecretFile.NAME);
        int starts = 16;
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> results = new ArrayList<>();
        try {
            for (int i = 0; i < starts; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return TokenSecretFile.loadOrCreate(file);
                }));
            }
            go.countDown();
            byte[] kept = results.get(0).get();
            for (Future<byte[]> result : results) {
                assertArrayEquals(kept, result.get());
            }
            assertArrayEquals(kept, TokenSecretFile.loadOrCreate(file));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileOthersCouldReadIsNarrowedToItsOwner() throws Exception {
        Path file = dataDir.resolve(TokenSecretFile.NAME);
        byte[] secret = TokenSecretFile.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertArrayEquals(secret, TokenSecretFile.loadOrCreate(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFileWithoutAUsableSecretStopsTheStartInsteadOfSigningWithAWeakKey() throws Exception {
        Path file = dataDir.resolve(TokenSecretFile.NAME);
        Files.writeString(file, "short");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> TokenSecretFile.loadOrCreate(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
    }
}
