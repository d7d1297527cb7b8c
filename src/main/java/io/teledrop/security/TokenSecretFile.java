package io.teledrop.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The key that signs unlock tokens when the operator configured none ({@code teledrop.auth.token-secret}):
 * 256 random bits made on the first start and kept in a file of the data folder, so a restart does not log
 * out every reader who unlocked a drop. Readable by the server's user only (0600 where the file system has
 * POSIX permissions). The file appears atomically and complete: it is written and forced to disk under a
 * temporary name, then hard-linked to its real name, which fails if another start got there first; the
 * loser reads the winner's secret. So two servers starting on one data folder end up with the same key.
 * Stateless and thread-safe.
 */
public final class TokenSecretFile {

    /** The file's name in the data folder. */
    public static final String NAME = "token-secret";

    private static final Logger LOG = Logger.getLogger(TokenSecretFile.class.getName());
    private static final int SECRET_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private TokenSecretFile() {
    }

    /**
     * The secret kept in {@code file}, made now if the file does not exist yet.
     *
     * @throws UncheckedIOException  if the file cannot be read or written
     * @throws IllegalStateException if the file exists but holds no usable secret (an operator should look)
     */
    public static byte[] loadOrCreate(Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                create(file, folder);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the token secret in " + file
                    + ": make the data folder writable, or set teledrop.auth.token-secret", e);
        }
    }

    private static void create(Path file, Path folder) throws IOException {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        byte[] content = (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path staged = folder.resolve("." + NAME + "-" + UUID.randomUUID() + ".tmp");
        boolean posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try {
            try (FileChannel channel = FileChannel.open(staged, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix) {
                // The umask may have narrowed the mode given at creation, never widened it; set it exactly.
                Files.setPosixFilePermissions(staged, OWNER_ONLY);
            }
            try {
                Files.createLink(file, staged);
                LOG.info(() -> "Made a new secret for unlock tokens in " + file + " (set teledrop.auth.token-secret to share one across servers)");
            } catch (FileAlreadyExistsException e) {
                // Another start made it first: its secret is the one.
            }
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    private static byte[] read(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (!OWNER_ONLY.containsAll(permissions)) {
                LOG.warning(() -> file + " was readable by others (" + PosixFilePermissions.toString(permissions)
                        + "); its permissions are now rw-------");
                view.setPermissions(OWNER_ONLY);
            }
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            secret = new byte[0];
        }
        if (secret.length < SECRET_BYTES) {
            throw new IllegalStateException(file + " holds no usable token secret (" + SECRET_BYTES
                    + " Base64 bytes expected): delete it to have a new one made, or set teledrop.auth.token-secret");
        }
        return secret;
    }
}
