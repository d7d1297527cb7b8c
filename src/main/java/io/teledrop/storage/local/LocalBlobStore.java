package io.teledrop.storage.local;

import io.teledrop.storage.BlobExistsException;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.CountingInputStream;
import io.teledrop.storage.Folders;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StorageFullException;
import io.teledrop.storage.StoredBlob;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link BlobStore} on a local (or locally mounted) file system: the blob with key {@code ab/abcdef…}
 * is the file {@code <root>/ab/abcdef…}. It exists for single-node deployments, where a directory is
 * simpler and faster than an object store.
 *
 * <p><b>Layout.</b> Every key maps to a path under {@code root}; the key's shape ({@link BlobKeys}) and a
 * second check on the normalized path keep every access inside it. Writes are staged in
 * {@code <root>/.tmp} (on the same file system, so publishing needs no copy); names starting with a dot
 * are never keys and are never listed. Empty directories left by {@link #delete} stay: removing them
 * would race with a concurrent {@code put} into the same directory.
 *
 * <p><b>Atomicity.</b> A blob appears by a hard link from its staged file to its key, then the staged
 * name is removed. {@code link(2)} fails if the key exists, so "never overwrite" holds without a
 * check-then-act race (a rename would silently replace an existing blob on POSIX). The root must therefore
 * be on a file system with hard links (ext4, XFS, btrfs, ZFS, tmpfs, NFS all have them).
 *
 * <p><b>Durability.</b> With {@code fsync} on, a staged file is forced to disk before it is linked, and
 * the directory that gains (or loses) the name is forced afterwards, as is the parent of every directory
 * created on the way; so a returned {@code put}, {@code move} or {@code delete} survives
 * a power cut. Forcing a directory by opening it for reading works on Linux, not on Windows. With
 * {@code fsync} off the bytes and names reach the disk when the kernel decides. With an executor for
 * flushing, a long write is forced every {@value #FLUSH_AHEAD_BYTES} bytes in the background while the
 * stream goes on, so the disk writes while the network delivers and the final force has only the tail left
 * (without it the kernel would hold gigabytes dirty until that last force).
 *
 * <p><b>Space.</b> A write that finds the file system full, or that would leave less than {@code reserve}
 * bytes free (checked before and every {@value #RESERVE_CHECK_BYTES} bytes during a write), fails with a
 * {@link StorageFullException} and leaves nothing behind: the reserve keeps room for the database and logs
 * on the same disk, so the server goes on serving what it has.
 *
 * <p><b>Streams.</b> {@code put} reads but never closes the caller's stream. {@code open} and
 * {@code openRange} return a {@link StoredBlob} owning an open file channel; the caller closes it.
 *
 * <p><b>Thread-safety.</b> Instances are immutable and safe to share; concurrent operations coordinate
 * only through the file system's atomic operations (link, rename, unlink), so several instances, or
 * processes, may share one root.
 */
public final class LocalBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(LocalBlobStore.class.getName());

    private static final int BUFFER_SIZE = 64 * 1024;
    static final long RESERVE_CHECK_BYTES = 16L * 1024 * 1024;
    static final long FLUSH_AHEAD_BYTES = 32L * 1024 * 1024;
    private static final String TEMP_DIR = ".tmp";
    private static final String STAGING_DIR = ".staging";
    /** Stands for "/" in a staging's file name: no key holds it, so the name maps back to one key. */
    private static final char STAGING_SEPARATOR = '~';
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Blobs in the order of their keys: a directory sorts as its name plus "/", the prefix of its keys. */
    private static final Comparator<Entry> KEY_ORDER = Comparator.comparing(Entry::sortKey);

    private final Path root;
    private final Path tempDir;
    private final Path stagingDir;
    private final boolean fsync;
    private final long reserve;
    private final Executor flusher;

    /** A store that may fill its file system to the last byte, and forces writes only at their end. */
    public LocalBlobStore(Path root, boolean fsync) {
        this(root, fsync, 0, null);
    }

    /**
     * @param root    the directory holding the blobs; created (with {@code root/.tmp}) if missing
     * @param fsync   whether every change is forced to stable storage before the method returns
     * @param reserve bytes that writes must leave free on the file system
     * @param flusher runs the background forces of long writes (with {@code fsync}); null: only the final force
     * @throws UncheckedIOException if the directories cannot be created
     */
    public LocalBlobStore(Path root, boolean fsync, long reserve, Executor flusher) {
        this.flusher = flusher;
        if (reserve < 0) {
            throw new IllegalArgumentException("reserve must not be negative: " + reserve);
        }
        this.reserve = reserve;
        try {
            Files.createDirectories(root);
            // The real path, so that the "still under root" check compares like with like.
            this.root = root.toRealPath();
            this.tempDir = Files.createDirectories(this.root.resolve(TEMP_DIR));
            this.stagingDir = Files.createDirectories(this.root.resolve(STAGING_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare blob directory " + root, e);
        }
        this.fsync = fsync;
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes) throws IOException {
        Path target = pathOf(key);
        Objects.requireNonNull(in, "in");
        requireLimit(maxBytes);
        // Fail before reading a large upload when the answer is known already; publish() checks again atomically.
        if (Files.exists(target, NOFOLLOW)) {
            throw new BlobExistsException(key);
        }
        requireRoom();
        Path temp = null;
        try {
            temp = Files.createTempFile(tempDir, "put-", ".part");
            Digest digest;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                digest = copy(in, out, maxBytes);
                if (fsync) {
                    out.force(true);
                }
            }
            publish(key, temp, target);
            return new PutResult(key, digest.size(), digest.sha256());
        } catch (Throwable e) {
            if (temp != null) {
                deleteQuietly(temp, e);
            }
            throwIfOutOfSpace(e);
            throw e;
        }
    }

    @Override
    public StoredBlob open(String key) throws IOException {
        Path path = pathOf(key);
        BasicFileAttributes attributes = attributesOf(path).orElseThrow(() -> new NoSuchBlobException(key));
        return openChannel(key, path, attributes, 0, attributes.size());
    }

    @Override
    public StoredBlob openRange(String key, long offset, long length) throws IOException {
        Path path = pathOf(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        BasicFileAttributes attributes = attributesOf(path).orElseThrow(() -> new NoSuchBlobException(key));
        // Written so that offset + length cannot overflow.
        if (offset > attributes.size() || length > attributes.size() - offset) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " past the end of a blob of " + attributes.size() + " bytes");
        }
        return openChannel(key, path, attributes, offset, length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        Path path = pathOf(key);
        return attributesOf(path).map(a -> info(key, a));
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path path = pathOf(key);
        if (attributesOf(path).isEmpty()) {
            return false; // also keeps a directory (a prefix of other keys) from being removed
        }
        if (!Files.deleteIfExists(path)) {
            return false; // deleted concurrently
        }
        if (fsync) {
            forceDirectory(path.getParent());
        }
        return true;
    }

    @Override
    public void move(String sourceKey, String targetKey) throws IOException {
        Path source = pathOf(sourceKey);
        Path target = pathOf(targetKey);
        if (attributesOf(source).isEmpty()) {
            throw new NoSuchBlobException(sourceKey);
        }
        // Link then unlink, for the same reason as publish(): a rename would replace an existing target.
        List<Path> created = createParents(target.getParent());
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            throw new BlobExistsException(targetKey);
        } catch (NoSuchFileException e) {
            throw new NoSuchBlobException(sourceKey);
        }
        try {
            Files.delete(source);
        } catch (NoSuchFileException e) {
            // Someone else moved or deleted the source in between; only one of us may win, and it is not us.
            Files.deleteIfExists(target);
            throw new NoSuchBlobException(sourceKey);
        }
        if (fsync) {
            forceDirectories(target.getParent(), created);
            if (!source.getParent().equals(target.getParent())) {
                forceDirectory(source.getParent());
            }
        }
    }

    @Override
    public List<BlobInfo> list(String prefix, String startAfter, int limit) throws IOException {
        if (!BlobKeys.isValidPrefix(prefix)) {
            throw new IllegalArgumentException("not a key prefix: " + prefix);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<BlobInfo> page = new ArrayList<>(Math.min(limit, 1024));
        collect(root, "", prefix, startAfter, limit, page);
        return page;
    }

    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        return Folders.removeFilesOlderThan(tempDir, cutoff);
    }

    // Blobs written in pieces: one file per staging in .staging, appended in place (positional writes, so an
    // append starts exactly at the recorded size whatever an unrecorded one left after it) and linked to its
    // key when complete, like a put's staged file.

    @Override
    public Staging beginStaging(String key) throws IOException {
        Path target = pathOf(key);
        if (Files.exists(target, NOFOLLOW)) {
            throw new BlobExistsException(key);
        }
        try {
            Files.createFile(stagingFileOf(key));
        } catch (FileAlreadyExistsException e) {
            throw new BlobExistsException(key);
        }
        if (fsync) {
            forceDirectory(stagingDir);
        }
        return new Staging(key, 0, "");
    }

    @Override
    public Staging.Appended append(Staging staging, InputStream in, long maxBytes, boolean keepPartial, Checkpoints checkpoints) throws IOException {
        requireLimit(maxBytes);
        Path file = stagingFileOf(staging.key());
        requireRoom();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (out.size() < staging.size()) {
                throw new IOException("the staged file of " + staging.key() + " holds " + out.size() + " bytes, fewer than the "
                        + staging.size() + " recorded: bytes were lost (a crash with fsync off?)");
            }
            // Nothing here ever shortens the file: bytes past the size the caller recorded are harmless (the next
            // append writes over them, the completion cuts them off), and by the time a failure is noticed
            // another request may own the staging and be writing to it.
            long written = 0;
            long nextRoomCheck = RESERVE_CHECK_BYTES;
            long nextCheckpoint = FLUSH_AHEAD_BYTES;
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                while (true) {
                    long remaining = maxBytes - written;
                    int want = remaining >= buffer.length ? buffer.length : (int) remaining + 1;
                    int n;
                    try {
                        n = in.read(buffer, 0, want);
                    } catch (IOException clientGone) {
                        if (keepPartial) {
                            force(out);
                            return new Staging.Appended(new Staging(staging.key(), staging.size() + written, ""), clientGone);
                        }
                        return new Staging.Appended(staging, clientGone);
                    }
                    if (n < 0) {
                        break;
                    }
                    // A boundary's checkpoint waits for bytes past it: where the stream ends, the caller records
                    // the same state at once. Before the limit check, so a refused append still reported it.
                    if (keepPartial && written >= nextCheckpoint) {
                        force(out);
                        Staging durable = new Staging(staging.key(), staging.size() + written, "");
                        checkpoints.reached(durable);
                        nextCheckpoint = written + FLUSH_AHEAD_BYTES;
                    }
                    if (written + n > maxBytes) {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    long position = staging.size() + written;
                    while (bytes.hasRemaining()) {
                        position += out.write(bytes, position);
                    }
                    written += n;
                    if (written >= nextRoomCheck) {
                        requireRoom();
                        nextRoomCheck = written + RESERVE_CHECK_BYTES;
                    }
                }
                force(out);
                return new Staging.Appended(new Staging(staging.key(), staging.size() + written, ""), null);
            } catch (IOException e) {
                throwIfOutOfSpace(e);
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchBlobException(staging.key());
        }
    }

    private void force(FileChannel out) throws IOException {
        if (fsync) {
            out.force(false);
        }
    }

    @Override
    public InputStream openStagedPrefix(Staging staging, int length) throws IOException {
        if (length < 0 || length > STAGED_PREFIX_LIMIT || length > staging.size()) {
            throw new IllegalArgumentException("a staged prefix of " + length + " bytes of " + staging.size());
        }
        try {
            FileChannel channel = FileChannel.open(stagingFileOf(staging.key()), StandardOpenOption.READ);
            return new RangeInputStream(channel, 0, length);
        } catch (NoSuchFileException e) {
            throw new NoSuchBlobException(staging.key());
        }
    }

    @Override
    public void releasePieces(Staging replaced, Staging current) {
        // One file for all: the next append or the completion cuts it to the size recorded.
    }

    @Override
    public void completeStaging(Staging staging) throws IOException {
        Path file = stagingFileOf(staging.key());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (out.size() < staging.size()) {
                throw new IOException("the staged file of " + staging.key() + " holds " + out.size() + " bytes, fewer than the "
                        + staging.size() + " recorded");
            }
            out.truncate(staging.size());
            force(out);
        } catch (NoSuchFileException e) {
            throw new NoSuchBlobException(staging.key());
        }
        publish(staging.key(), file, pathOf(staging.key()));
    }

    @Override
    public void abortStaging(Staging staging) throws IOException {
        if (Files.deleteIfExists(stagingFileOf(staging.key())) && fsync) {
            forceDirectory(stagingDir);
        }
    }

    @Override
    public int removeAbandonedStagings(Instant cutoff, Set<String> live) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stagingDir)) {
            for (Path file : files) {
                String key = file.getFileName().toString().replace(STAGING_SEPARATOR, '/');
                try {
                    if (!live.contains(key) && Files.getLastModifiedTime(file, NOFOLLOW).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // completed or aborted meanwhile
                }
            }
        }
        return removed;
    }

    private Path stagingFileOf(String key) {
        return stagingDir.resolve(BlobKeys.requireValid(key).replace('/', STAGING_SEPARATOR));
    }

    @Override
    public OptionalLong usableSpace() throws IOException {
        return OptionalLong.of(Files.getFileStore(root).getUsableSpace());
    }

    @Override
    public void requireRoom(long bytes) throws IOException {
        long free = usableSpace().getAsLong();
        if (free - bytes < reserve) {
            throw new StorageFullException(bytes + " more bytes do not fit: the blob store's file system has " + free
                    + " bytes free, of which " + reserve + " are kept free");
        }
    }

    /**
     * Depth-first, visiting each directory's entries in key order, so keys come out sorted and the walk
     * stops as soon as the page is full. Directories that cannot hold a key matching {@code prefix} and
     * after {@code startAfter} are not entered.
     */
    private void collect(Path dir, String dirKey, String prefix, String startAfter, int limit, List<BlobInfo> page) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                // Dot names (the staging directory) and anything else a key cannot spell are not blobs.
                if (name.startsWith(".") || !BlobKeys.isValid(name)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW);
                } catch (NoSuchFileException e) {
                    continue; // deleted while we were looking
                }
                if (attributes.isDirectory()) {
                    String subKey = dirKey + name + "/";
                    if ((subKey.startsWith(prefix) || prefix.startsWith(subKey)) && !allBefore(subKey, startAfter)) {
                        entries.add(new Entry(child, subKey, null));
                    }
                } else if (attributes.isRegularFile()) {
                    String key = dirKey + name;
                    if (key.startsWith(prefix) && (startAfter == null || key.compareTo(startAfter) > 0) && BlobKeys.isValid(key)) {
                        entries.add(new Entry(child, key, attributes));
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return; // the directory went away while we walked
        }
        entries.sort(KEY_ORDER);
        for (Entry entry : entries) {
            if (page.size() >= limit) {
                return;
            }
            if (entry.attributes() == null) {
                collect(entry.path(), entry.sortKey(), prefix, startAfter, limit, page);
            } else {
                page.add(info(entry.sortKey(), entry.attributes()));
            }
        }
    }

    /** Whether every key starting with {@code dirPrefix} sorts at or before {@code startAfter}. */
    private static boolean allBefore(String dirPrefix, String startAfter) {
        return startAfter != null && startAfter.compareTo(dirPrefix) > 0 && !startAfter.startsWith(dirPrefix);
    }

    /** A directory entry while listing: a blob (with its attributes) or a directory (attributes null). */
    private record Entry(Path path, String sortKey, BasicFileAttributes attributes) {
    }

    /** The path of a key: validated, resolved, normalized and checked to be inside the root. */
    private Path pathOf(String key) {
        BlobKeys.requireValid(key);
        Path path = root.resolve(key).normalize();
        // BlobKeys already rules all of this out; this check holds even if that pattern is ever loosened.
        if (!path.startsWith(root) || path.equals(root) || path.startsWith(tempDir)) {
            throw new IllegalArgumentException("key leaves the storage root: " + key);
        }
        return path;
    }

    private static void requireLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
    }

    /** The attributes of the blob at {@code path}, or empty if no regular file is there. */
    private Optional<BasicFileAttributes> attributesOf(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
            return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // ENOTDIR has no exception of its own: key "a/b" while "a" is a blob. Absent, not an error.
            if (fileOnTheWay(path)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether one of the directories between the root and {@code path} is in fact a file. */
    private boolean fileOnTheWay(Path path) {
        for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            if (Files.exists(dir, NOFOLLOW) && !Files.isDirectory(dir, NOFOLLOW)) {
                return true;
            }
        }
        return false;
    }

    private StoredBlob openChannel(String key, Path path, BasicFileAttributes attributes, long offset, long length) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchBlobException(key); // deleted since we looked
        }
        return new StoredBlob(info(key, attributes), offset, length, new RangeInputStream(channel, offset, length));
    }

    private static BlobInfo info(String key, BasicFileAttributes attributes) {
        return new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant());
    }

    /**
     * Copies {@code in} to {@code out}, counting and hashing. Reads at most one byte more
     * than {@code maxBytes}, so an oversized stream is refused without reading the rest of it.
     */
    private Digest copy(InputStream in, FileChannel out, long maxBytes) throws IOException {
        MessageDigest sha256 = sha256();
        CountingInputStream counted = new CountingInputStream(in, sha256);
        byte[] buffer = new byte[BUFFER_SIZE];
        long size = 0;
        long nextRoomCheck = RESERVE_CHECK_BYTES;
        long nextFlush = FLUSH_AHEAD_BYTES;
        CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);
        while (true) {
            long remaining = maxBytes - size;
            int want = remaining >= buffer.length ? buffer.length : (int) remaining + 1;
            int n = counted.read(buffer, 0, want);
            if (n < 0) {
                break;
            }
            size = counted.count();
            if (size > maxBytes) {
                throw new BlobTooLargeException(maxBytes);
            }
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            if (size >= nextRoomCheck) {
                requireRoom();
                nextRoomCheck = size + RESERVE_CHECK_BYTES;
            }
            // One background force at a time; if the disk is slower than the network, skip rather than queue.
            if (fsync && flusher != null && size >= nextFlush && flushing.isDone()) {
                flushing = CompletableFuture.runAsync(() -> forceQuietly(out), flusher);
                nextFlush = size + FLUSH_AHEAD_BYTES;
            }
        }
        // The caller's force (or close) must not race a background one on a closed channel.
        flushing.join();
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** A background force; a failure shows again in the final force, which the caller checks. */
    private static void forceQuietly(FileChannel out) {
        try {
            out.force(false);
        } catch (IOException e) {
            LOG.log(Level.FINE, "background flush failed; the final force will report it", e);
        }
    }

    private record Digest(long size, String sha256) {
    }

    /** Refuses to go on writing once the file system has no more than the reserve free. */
    private void requireRoom() throws IOException {
        if (reserve > 0) {
            requireRoom(1);
        }
    }

    /** Turns a file system's "no space" into a {@link StorageFullException}; anything else is left to the caller. */
    private static void throwIfOutOfSpace(Throwable error) throws StorageFullException {
        if (error instanceof IOException && !(error instanceof StorageFullException) && StorageFullException.isOutOfSpace(error)) {
            throw new StorageFullException("the blob store's file system is full", error);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Gives the staged file {@code temp} the name of {@code key} and removes the staged name. The hard link
     * is the atomic "create unless it exists"; the staged file was forced already if {@code fsync} is on.
     */
    private void publish(String key, Path temp, Path target) throws IOException {
        List<Path> created = createParents(target.getParent());
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new BlobExistsException(key);
        }
        if (fsync) {
            forceDirectories(target.getParent(), created);
        }
        try {
            Files.delete(temp);
        } catch (IOException e) {
            // The blob is stored and durable; failing now would report a stored blob as lost. A stray name in
            // .tmp only costs its directory entry, the bytes belong to the blob.
            LOG.log(Level.WARNING, "blob " + key + " stored, but its staging name could not be removed", e);
        }
    }

    /** Creates the missing directories down to {@code dir}; returns those created, outermost first. */
    private List<Path> createParents(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; !d.equals(root) && !Files.isDirectory(d, NOFOLLOW); d = d.getParent()) {
            missing.add(0, d);
        }
        List<Path> created = new ArrayList<>(missing.size());
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
                created.add(d);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d, NOFOLLOW)) {
                    throw e; // a blob sits where a directory is needed: key "a/b" while "a" is a blob
                }
                // Another writer created it at the same moment; it is theirs to force.
            }
        }
        return created;
    }

    /** Forces {@code dir} (which gained a name) and the parent of every directory in {@code created}. */
    private static void forceDirectories(Path dir, List<Path> created) throws IOException {
        forceDirectory(dir);
        for (Path d : created) {
            forceDirectory(d.getParent());
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path path, Throwable failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Exactly {@code length} bytes of a file channel from {@code offset}, by positional reads. Owns the
     * channel: closing the stream closes it. A file that ends early (it cannot, blobs are never rewritten)
     * is reported as {@link EOFException} rather than as a silently short body.
     */
    private static final class RangeInputStream extends InputStream {

        private final FileChannel channel;
        private long position;
        private long remaining;

        RangeInputStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
            if (n < 0) {
                throw new EOFException("blob ended " + remaining + " bytes before its range");
            }
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, remaining));
            position += skipped;
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(remaining, Integer.MAX_VALUE);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
