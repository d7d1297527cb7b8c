package io.teledrop.storage.s3;

import io.teledrop.config.S3Settings;
import io.teledrop.storage.BackupShelf;
import io.teledrop.storage.BlobAttributes;
import io.teledrop.storage.BlobExistsException;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.Folders;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PartsMismatchException;
import io.teledrop.storage.PresignedParts;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in an S3 bucket (AWS, or any S3-compatible server), each under the configured prefix.
 *
 * <p>Uploads of unknown length never sit in memory: the stream is cut into parts of the configured size,
 * each spooled to a file in the spool folder while its SHA-256 is computed, then sent. A stream that ends
 * within the first part becomes one PUT; a longer one a multipart upload, aborted if anything fails, so
 * no parts are left behind (and billed). The finished object carries its SHA-256 as user metadata
 * ({@code x-amz-meta-sha256}). Writes never overwrite: an existing key is refused before any byte is
 * sent, and the final write is conditional ({@code If-None-Match: *}) where the server supports it.
 *
 * <p>A staging (a blob written in pieces over several requests) is a multipart upload on the blob's key,
 * its leftover under a part in a tail object beside it; its handle is a {@link StagingHandle}.
 *
 * <p>Thread-safe; one {@link S3Client} (with its connection pool) for the store's life, closed by
 * {@link #close()}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class.getName());
    private static final String SHA256_METADATA = "sha256";
    private static final int COPY_BUFFER = 64 * 1024;
    /** S3 copies up to 5 GiB in one request; larger objects are copied part by part. */
    private static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final String SPOOL_PREFIX = "s3-part-";
    private static final int MAX_PARTS = S3Settings.MAX_PARTS;
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final boolean presignDownloads;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private final Path spoolDir;
    private final Duration presignExpiry;
    private final int uploadConcurrency;
    /**
     * Parts on the executor's threads, all uploads together: half the connection pool, so that parts never take
     * the connections downloads need. A part that finds none free goes up on the uploading request's own thread,
     * which also means a bounded executor full of waiting uploads can never deadlock them.
     */
    private final Semaphore partsInFlight;
    private final PartBuffers buffers;
    private final ExecutorService executor;
    /** The executor this store made for itself (no container's was given), shut down by {@link #close()}. */
    private final ExecutorService ownExecutor;
    private volatile boolean conditionalWrites = true;
    private final BackupShelf backupShelf = new BucketShelf();

    S3BlobStore(S3Client s3, S3Presigner presigner, S3Settings settings, Path spoolDir, ExecutorService executor) throws IOException {
        this.s3 = s3;
        this.presigner = presigner;
        this.presignDownloads = settings.presignDownloads();
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.partSize = settings.partSize();
        this.presignExpiry = settings.presignExpiry();
        this.spoolDir = Files.createDirectories(spoolDir);
        this.uploadConcurrency = settings.uploadConcurrency();
        this.partsInFlight = new Semaphore(Math.max(1, settings.maxConnections() / 2));
        this.buffers = new PartBuffers(partSize, settings.uploadBuffers());
        this.ownExecutor = executor == null ? Executors.newCachedThreadPool(PART_THREADS) : null;
        this.executor = executor == null ? ownExecutor : executor;
    }

    private static final ThreadFactory PART_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "s3-part");
        thread.setDaemon(true);
        return thread;
    };

    /** A store with its own client and its own threads for sending parts; see {@link #create(S3Settings, Path, ExecutorService)}. */
    public static S3BlobStore create(S3Settings settings, Path spoolDir) throws IOException {
        return create(settings, spoolDir, null);
    }

    /**
     * A store with its own client, configured from {@code settings}; parts that find no free buffer are spooled in
     * {@code spoolDir}, and parts are sent on {@code executor} (the container's; null: threads of the store's own).
     */
    public static S3BlobStore create(S3Settings settings, Path spoolDir, ExecutorService executor) throws IOException {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration s3Configuration = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build();
        Region region = Region.of(settings.region());
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration)
                // Checksums only where S3 requires them: S3-compatible servers differ in the newer trailing ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout()))
                // AWS's standard conditions: throttling, 5xx and I/O errors are retried, client errors (4xx) never.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                        .build()));
        var presignerBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(s3Configuration);
        settings.endpoint().ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        });
        return new S3BlobStore(builder.build(), presignerBuilder.build(), settings, spoolDir, executor);
    }

    /** Checks at start-up that the bucket is there and reachable with these credentials. */
    public void checkBucket() throws IOException {
        call(() -> s3.headBucket(b -> b.bucket(bucket)));
    }

    private String objectKey(String key) {
        return prefix + BlobKeys.requireValid(key);
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes) throws IOException {
        return put(key, in, maxBytes, BlobAttributes.NONE);
    }

    /**
     * Cuts the stream into parts on the calling thread (which computes the SHA-256 over the whole stream, in
     * order) and sends up to {@code upload-concurrency} of them at once on the executor. Each part is in a
     * pooled buffer ({@link PartBuffers}) or, if none is free, a spool file; one upload holds at most
     * {@code upload-concurrency + 1} parts (those in flight and the one being read). Any failure (a part, the
     * client's stream, a limit) stops the sending, waits for the parts in flight and aborts the multipart upload.
     */
    @Override
    public PutResult put(String key, InputStream in, long maxBytes, BlobAttributes attributes) throws IOException {
        String objectKey = objectKey(key);
        if (exists(objectKey)) {
            throw new BlobExistsException(key);
        }
        MessageDigest sha256 = sha256();
        PushbackInputStream source = new PushbackInputStream(in, 1);
        PartData first = nextPart(source, sha256, maxBytes);
        long total = first.size;
        if (atEnd(source)) {
            try (first) {
                Map<String, String> metadata = new TreeMap<>(attributes.metadata());
                metadata.put(SHA256_METADATA, hex(sha256));
                putObject(key, objectKey, first.body(), attributes.contentType(), metadata);
                return new PutResult(key, total, metadata.get(SHA256_METADATA));
            }
        }
        String uploadId;
        try {
            uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey).contentType(attributes.contentType())
                    .metadata(attributes.metadata()))).uploadId();
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
        ParallelParts parts = new ParallelParts(objectKey, uploadId);
        boolean completed = false;
        try {
            PartData next = first;
            for (int number = 1; ; number++) {
                parts.submit(number, next);
                if (atEnd(source)) {
                    break;
                }
                if (number == MAX_PARTS) {
                    throw new IOException("The upload needs more than S3's " + MAX_PARTS + " parts of " + partSize + " bytes");
                }
                next = nextPart(source, sha256, maxBytes - total);
                total += next.size;
            }
            // The digest is known only now, after the parts: a multipart object carries no sha256 metadata (the database has it).
            List<CompletedPart> uploaded = parts.awaitAll();
            completeMultipart(key, objectKey, uploadId, CompletedMultipartUpload.builder().parts(uploaded).build());
            completed = true;
            return new PutResult(key, total, hex(sha256));
        } finally {
            if (!completed) {
                parts.stopAndAwait();
                abortQuietly(objectKey, uploadId);
            }
        }
    }

    /**
     * Reads up to one part from {@code source} into a pooled buffer or, if none is free, a spool file, feeding
     * {@code sha256}. More than {@code allowed} bytes in the stream is {@link BlobTooLargeException}. The caller
     * owns the returned part (and closes it unless it hands it to {@link ParallelParts#submit}).
     */
    private PartData nextPart(PushbackInputStream source, MessageDigest sha256, long allowed) throws IOException {
        long limit = Math.min(partSize, allowed == Long.MAX_VALUE ? allowed : allowed + 1);
        byte[] buffer = buffers.tryTake();
        PartData part = buffer != null ? new PartData(buffer) : new PartData(spoolDir.resolve(SPOOL_PREFIX + UUID.randomUUID()));
        try {
            part.size = buffer != null ? fill(source, buffer, (int) limit, sha256) : spoolPart(source, part.file, sha256, limit);
            if (part.size > allowed || (part.size == allowed && !atEnd(source))) {
                throw new BlobTooLargeException(allowed);
            }
            return part;
        } catch (IOException | RuntimeException e) {
            part.close();
            throw e;
        }
    }

    /** Reads into {@code buffer} until it holds {@code limit} bytes or the stream ends; returns the bytes read. */
    private static int fill(InputStream source, byte[] buffer, int limit, MessageDigest sha256) throws IOException {
        int filled = 0;
        while (filled < limit) {
            int read = source.read(buffer, filled, Math.min(COPY_BUFFER, limit - filled));
            if (read < 0) {
                break;
            }
            sha256.update(buffer, filled, read);
            filled += read;
        }
        return filled;
    }

    /** Copies up to {@code limit} bytes from {@code source} into {@code part} (replacing it), feeding {@code sha256}. */
    private static long spoolPart(InputStream source, Path part, MessageDigest sha256, long limit) throws IOException {
        long copied = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), sha256)) {
            while (copied < limit) {
                int read = source.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                copied += read;
            }
        }
        return copied;
    }

    /** A part's bytes, in a pooled buffer or a spool file; {@link #close} gives the buffer back or deletes the file, once. */
    private final class PartData implements AutoCloseable {
        private byte[] buffer;
        private final Path file;
        long size;

        PartData(byte[] buffer) {
            this.buffer = buffer;
            this.file = null;
        }

        PartData(Path file) {
            this.buffer = null;
            this.file = file;
        }

        /** The bytes for the SDK; it may open them again for a retry. */
        RequestBody body() {
            if (file != null) {
                return RequestBody.fromFile(file);
            }
            byte[] bytes = buffer;
            int length = (int) size;
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
        }

        @Override
        public synchronized void close() throws IOException {
            if (buffer != null) {
                buffers.giveBack(buffer);
                buffer = null;
            } else if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The parts of one multipart upload on their way, at most {@code uploadConcurrency} at once. Used by the one
     * thread that reads the upload; the parts' own threads only report back. The first failure stops the rest.
     */
    private final class ParallelParts {
        private final String objectKey;
        private final String uploadId;
        private final Semaphore slots = new Semaphore(uploadConcurrency);
        private final List<Future<CompletedPart>> sent = new ArrayList<>();
        /** Every part handed to {@link #submit}: closed again after a failure, since a part whose task was cancelled never ran. */
        private final List<PartData> owned = new ArrayList<>();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean stopped;

        ParallelParts(String objectKey, String uploadId) {
            this.objectKey = objectKey;
            this.uploadId = uploadId;
        }

        /** Sends {@code part} as number {@code number} once a slot is free; takes ownership of {@code part}. */
        void submit(int number, PartData part) throws IOException {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                part.close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to send part " + number);
            }
            if (failure.get() != null) {
                slots.release();
                part.close();
                throw failed();
            }
            owned.add(part);
            if (partsInFlight.tryAcquire()) {
                try {
                    sent.add(executor.submit(() -> send(number, part, true)));
                    return;
                } catch (RuntimeException e) { // rejected (stopping, or a bounded executor full): send it here
                    partsInFlight.release();
                }
            }
            try {
                sent.add(CompletableFuture.completedFuture(send(number, part, false)));
            } catch (Exception e) {
                sent.add(CompletableFuture.failedFuture(e));
            }
        }

        private CompletedPart send(int number, PartData part, boolean onExecutor) throws Exception {
            try (part) {
                if (stopped || failure.get() != null) {
                    return null;
                }
                String etag = call(() -> s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(number)
                        .contentLength(part.size), part.body())).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                slots.release();
                if (onExecutor) {
                    partsInFlight.release();
                }
            }
        }

        /** Waits for every part; the parts in order, or the first failure. */
        List<CompletedPart> awaitAll() throws IOException {
            List<CompletedPart> parts = new ArrayList<>(sent.size());
            for (Future<CompletedPart> part : sent) {
                try {
                    parts.add(part.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the parts of " + objectKey);
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause() instanceof Exception cause ? cause : e);
                    throw failed();
                } catch (java.util.concurrent.CancellationException e) { // the application is stopping
                    failure.compareAndSet(null, e);
                    throw failed();
                }
            }
            return parts;
        }

        /** After a failure: parts not yet started are skipped, and those in flight are waited for (then the upload can be aborted). */
        void stopAndAwait() {
            stopped = true;
            boolean interrupted = false;
            for (Future<CompletedPart> part : sent) {
                while (true) {
                    try {
                        part.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                        break; // reported by whoever saw it first
                    }
                }
            }
            for (PartData part : owned) {
                try {
                    part.close(); // a second close does nothing; a part that never ran gives its buffer or file back here
                } catch (IOException e) {
                    LOG.log(java.util.logging.Level.FINE, "Could not delete the spool file of a part of " + objectKey, e);
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private IOException failed() {
            Exception cause = failure.get();
            if (cause instanceof IOException io) {
                return io;
            }
            return new IOException("A part of " + objectKey + " could not be sent: " + cause, cause);
        }
    }

    private static boolean atEnd(PushbackInputStream source) throws IOException {
        int next = source.read();
        if (next < 0) {
            return true;
        }
        source.unread(next);
        return false;
    }

    private void putObject(String key, String objectKey, RequestBody body, String contentType, Map<String, String> metadata) throws IOException {
        writeOnce(key, conditional -> s3.putObject(b -> {
            b.bucket(bucket).key(objectKey).contentType(contentType).metadata(metadata);
            if (conditional) {
                b.ifNoneMatch("*");
            }
        }, body));
    }

    private void completeMultipart(String key, String objectKey, String uploadId, CompletedMultipartUpload completed) throws IOException {
        writeOnce(key, conditional -> s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(objectKey).uploadId(uploadId).multipartUpload(completed);
            if (conditional) {
                b.ifNoneMatch("*");
            }
        }));
    }

    /**
     * Runs the write that makes an object visible, with {@code If-None-Match: *} while the server supports
     * it: a key that appeared meanwhile is {@link BlobExistsException}. A server without conditional writes
     * (501) is remembered, and the existence check before each upload has to do.
     */
    private void writeOnce(String key, java.util.function.Function<Boolean, ?> write) throws IOException {
        boolean conditional = conditionalWrites;
        try {
            call(() -> write.apply(conditional));
        } catch (S3StorageException e) {
            if (e.status() == 412 || e.status() == 409) {
                throw new BlobExistsException(key);
            }
            if (conditional && e.status() == 501) {
                LOG.warning("The S3 server does not support conditional writes (If-None-Match); relying on a check before each upload");
                conditionalWrites = false;
                call(() -> write.apply(false));
                return;
            }
            throw e;
        }
    }

    private void abortQuietly(String objectKey, String uploadId) {
        try {
            call(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not abort multipart upload " + uploadId + " of " + objectKey
                    + "; reconciliation aborts it once it is older than the grace period");
        }
    }

    @Override
    public StoredBlob open(String key) throws IOException {
        String objectKey = objectKey(key);
        ResponseInputStream<GetObjectResponse> object = get(key, () -> s3.getObject(b -> b.bucket(bucket).key(objectKey)));
        GetObjectResponse response = object.response();
        return new StoredBlob(info(key, response.contentLength(), response.lastModified(), response.eTag(), response.metadata()),
                0, response.contentLength(), object);
    }

    @Override
    public StoredBlob openRange(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        if (length > Long.MAX_VALUE - offset) {
            throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes is past any blob's end");
        }
        String objectKey = objectKey(key);
        if (length == 0) {
            // HTTP cannot ask for zero bytes; the object's size says whether the offset is inside it.
            BlobInfo info = stat(key).orElseThrow(() -> new NoSuchBlobException(key));
            requireInside(info.size(), offset, length);
            return new StoredBlob(info, offset, 0, InputStream.nullInputStream());
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = get(key, () -> s3.getObject(b -> b.bucket(bucket).key(objectKey).range(range)));
        } catch (S3StorageException e) {
            if (e.status() == 416) {
                throw new IllegalArgumentException("range " + range + " starts past the end of " + key);
            }
            throw e;
        }
        GetObjectResponse response = object.response();
        long size = totalSize(response);
        if (length > size - offset) {
            object.abort();
            throw new IllegalArgumentException("range " + range + " reaches past the end of " + key + " (" + size + " bytes)");
        }
        return new StoredBlob(info(key, size, response.lastModified(), response.eTag(), response.metadata()), offset, length, object);
    }

    /** The whole object's size from {@code Content-Range: bytes a-b/size}. */
    private static long totalSize(GetObjectResponse response) {
        String contentRange = response.contentRange();
        if (contentRange == null) {
            return response.contentLength();
        }
        return Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1).strip());
    }

    private static void requireInside(long size, long offset, long length) {
        if (offset > size || length > size - offset) {
            throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes reaches past the end (" + size + " bytes)");
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        return head(objectKey(key)).map(head -> info(key, head.contentLength(), head.lastModified(), head.eTag(), head.metadata()));
    }

    private boolean exists(String objectKey) throws IOException {
        return head(objectKey).isPresent();
    }

    /** HEAD of an object, or empty when there is none. */
    private Optional<HeadObjectResponse> head(String objectKey) throws IOException {
        try {
            return Optional.of(call(() -> s3.headObject(b -> b.bucket(bucket).key(objectKey))));
        } catch (S3StorageException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String objectKey = objectKey(key);
        // DELETE succeeds whether or not the object was there; the contract wants to know.
        if (!exists(objectKey)) {
            return false;
        }
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(objectKey)));
        return true;
    }

    @Override
    public void move(String sourceKey, String targetKey) throws IOException {
        String source = objectKey(sourceKey);
        String target = objectKey(targetKey);
        BlobInfo info = stat(sourceKey).orElseThrow(() -> new NoSuchBlobException(sourceKey));
        if (exists(target)) {
            throw new BlobExistsException(targetKey);
        }
        if (info.size() <= MAX_SINGLE_COPY) {
            call(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target)));
        } else {
            copyInParts(source, target, info.size());
        }
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(source)));
    }

    /** Server-side copy of an object too large for one CopyObject (over 5 GiB), part by part. */
    private void copyInParts(String source, String target, long size) throws IOException {
        String uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(target).contentType("application/octet-stream"))).uploadId();
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long copyPartSize = Math.max(partSize, 512L * 1024 * 1024);
            int number = 1;
            for (long first = 0; first < size; first += copyPartSize, number++) {
                String range = "bytes=" + first + "-" + (Math.min(size, first + copyPartSize) - 1);
                int partNumber = number;
                String etag = call(() -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                        .destinationKey(target).uploadId(uploadId).partNumber(partNumber).copySourceRange(range))).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
            done = true;
        } finally {
            if (!done) {
                abortQuietly(target, uploadId);
            }
        }
    }

    @Override
    public List<BlobInfo> list(String keyPrefix, String startAfter, int limit) throws IOException {
        if (!BlobKeys.isValidPrefix(keyPrefix)) {
            throw new IllegalArgumentException("not a key prefix: " + keyPrefix);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<BlobInfo> page = new ArrayList<>(Math.min(limit, 1000));
        String token = null;
        String after = startAfter == null ? null : prefix + startAfter;
        do {
            String continuation = token;
            int wanted = Math.min(1000, limit - page.size());
            ListObjectsV2Response response = call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix + keyPrefix)
                    .maxKeys(wanted).continuationToken(continuation).startAfter(continuation == null ? after : null)));
            for (S3Object object : response.contents()) {
                String key = object.key().substring(prefix.length());
                // Objects under the prefix that Teledrop did not write (a key it could not have made) are skipped.
                if (BlobKeys.isValid(key) && page.size() < limit) {
                    page.add(new BlobInfo(key, object.size(), object.lastModified(), object.eTag(), Map.of()));
                }
            }
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null && page.size() < limit);
        return page;
    }

    // --- staging (resumable uploads) ------------------------------------------------------------------
    //
    // A staging is a multipart upload on the blob's own object key, so completion copies nothing. S3 wants
    // every part but the last to have at least 5 MiB, so appends fill parts of the configured size and keep
    // what is left over (less than a part) as a tail object under .staging/<key>/, which the next append
    // reads back in front of its bytes. .staging/<key>/begun marks the upload as a staging's: stale-temporary
    // cleanup leaves it to removeAbandonedStagings. ".staging" is no key segment, so list never shows these.

    private static final String STAGING_AREA = ".staging/";
    private static final String BEGUN_MARKER = "begun";
    private static final String TAIL_PREFIX = "tail-";

    private String stagingFolder(String key) {
        return prefix + STAGING_AREA + BlobKeys.requireValid(key) + "/";
    }

    private String markerKey(String key) {
        return stagingFolder(key) + BEGUN_MARKER;
    }

    private String tailKey(String key, String tail) {
        return stagingFolder(key) + TAIL_PREFIX + tail;
    }

    @Override
    public Staging beginStaging(String key) throws IOException {
        String objectKey = objectKey(key);
        if (exists(objectKey)) {
            throw new BlobExistsException(key);
        }
        // The marker first: an upload without one can only be a crashed put's.
        call(() -> s3.putObject(b -> b.bucket(bucket).key(markerKey(key)), RequestBody.empty()));
        String uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey).contentType("application/octet-stream"))).uploadId();
        String handle = StagingHandle.begun(uploadId).format();
        if (handle.length() > Staging.MAX_HANDLE_LENGTH - 64) {
            // Room for the part count, sizes and tail name that appends add.
            abortQuietly(objectKey, uploadId);
            deleteStagingObjects(key);
            throw new IOException("The S3 server's multipart upload id is too long for a staging handle (" + uploadId.length() + " characters)");
        }
        return new Staging(key, 0, handle);
    }

    /**
     * Appends in parts of the configured size: each full part (the old tail's bytes, then the stream's) is
     * spooled to a file and uploaded as the next part number, and reported when {@code keepPartial}; what is
     * left at the end becomes a new tail object. Nothing the given staging references is changed: parts
     * after its own and tails of other names only.
     */
    @Override
    public Staging.Appended append(Staging staging, InputStream in, long maxBytes, boolean keepPartial, Checkpoints checkpoints) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        String key = staging.key();
        String objectKey = objectKey(key);
        StagingHandle at = StagingHandle.parse(staging.handle());
        Path spool = spoolDir.resolve(SPOOL_PREFIX + UUID.randomUUID());
        try (FileChannel part = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long spooled = at.tail() == null ? 0 : download(tailKey(key, at.tail()), staging.size() - at.partBytes(), part);
            if (spooled >= partSize) {
                // A tail from before the part size was lowered is a whole part by itself now (no new byte: nothing to report).
                at = uploadPart(objectKey, at, spool, spooled);
                part.truncate(0);
                spooled = 0;
            }
            long received = 0;
            IOException interruption = null;
            byte[] buffer = new byte[COPY_BUFFER];
            while (true) {
                int wanted = (int) Math.min(buffer.length, partSize - spooled);
                if (maxBytes - received < wanted) {
                    wanted = (int) (maxBytes - received + 1); // one byte more tells a stream that is too long
                }
                int read;
                try {
                    read = in.read(buffer, 0, wanted);
                } catch (IOException e) {
                    interruption = e;
                    break;
                }
                if (read < 0) {
                    break;
                }
                received += read;
                if (received > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                part.write(ByteBuffer.wrap(buffer, 0, read));
                spooled += read;
                if (spooled == partSize) {
                    at = uploadPart(objectKey, at, spool, spooled);
                    part.truncate(0);
                    spooled = 0;
                    if (keepPartial) {
                        checkpoints.reached(new Staging(key, at.partBytes(), at.format()));
                    }
                }
            }
            if (received == 0 || (interruption != null && !keepPartial)) {
                return new Staging.Appended(staging, interruption);
            }
            if (spooled > 0) {
                String tail = at.partBytes() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                call(() -> s3.putObject(b -> b.bucket(bucket).key(tailKey(key, tail)), RequestBody.fromFile(spool)));
                at = at.withTail(tail);
            }
            return new Staging.Appended(new Staging(key, at.partBytes() + spooled, at.format()), interruption);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Uploads {@code file} ({@code size} bytes) as the part after those of {@code at}; returns the handle that includes it. */
    private StagingHandle uploadPart(String objectKey, StagingHandle at, Path file, long size) throws IOException {
        if (at.parts() == MAX_PARTS) {
            throw new IOException("A staging holds at most " + MAX_PARTS + " parts of " + partSize + " bytes (S3's limit)");
        }
        int number = at.parts() + 1;
        String etag = call(() -> s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(at.uploadId()).partNumber(number),
                RequestBody.fromFile(file))).eTag();
        return at.withPart(size, etag);
    }

    /** Copies the object {@code objectKey}, which must have {@code size} bytes, to {@code into}; returns the size. */
    private long download(String objectKey, long size, FileChannel into) throws IOException {
        try (ResponseInputStream<GetObjectResponse> object = call(() -> s3.getObject(b -> b.bucket(bucket).key(objectKey)))) {
            Long length = object.response().contentLength();
            if (length == null || length != size) {
                object.abort();
                throw new IOException("The staged piece " + objectKey + " has " + length + " bytes where its staging says " + size);
            }
            try {
                object.transferTo(Channels.newOutputStream(into));
            } catch (IOException e) {
                // The bytes stopped coming from S3, not from the disk alone: the store is unavailable (503), like a failed call.
                throw new S3StorageException(0, e);
            }
        }
        if (into.size() != size) {
            throw new IOException("The staged piece " + objectKey + " ended after " + into.size() + " of " + size + " bytes");
        }
        return size;
    }

    /**
     * Reads the staging's first bytes from its tail object. Only possible while no part is uploaded, as S3
     * cannot read parts before completion: that holds while fewer than a part's bytes (at least 5 MiB) are
     * staged, far more than {@link #STAGED_PREFIX_LIMIT}, which callers ask for before their staging grows.
     *
     * @throws IllegalStateException if the first part is uploaded already
     */
    @Override
    public InputStream openStagedPrefix(Staging staging, int length) throws IOException {
        if (length < 0 || length > STAGED_PREFIX_LIMIT || length > staging.size()) {
            throw new IllegalArgumentException("cannot read " + length + " of the " + staging.size() + " staged bytes (at most " + STAGED_PREFIX_LIMIT + ")");
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        StagingHandle at = StagingHandle.parse(staging.handle());
        if (at.parts() > 0) {
            throw new IllegalStateException("The first bytes of staging " + staging.key() + " are in an uploaded part, which S3 reads only after "
                    + "completion; read the prefix while fewer than " + partSize + " bytes are staged");
        }
        String range = "bytes=0-" + (length - 1);
        return call(() -> s3.getObject(b -> b.bucket(bucket).key(tailKey(staging.key(), at.tail())).range(range)));
    }

    @Override
    public void releasePieces(Staging replaced, Staging current) throws IOException {
        String tail = StagingHandle.parse(replaced.handle()).tail();
        if (tail == null || (replaced.key().equals(current.key()) && tail.equals(StagingHandle.parse(current.handle()).tail()))) {
            return;
        }
        // Parts cannot be released one by one; later appends overwrite them, and completion ignores the extra ones.
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(tailKey(replaced.key(), tail))));
    }

    /**
     * Uploads the tail as the last part and completes the multipart upload, after checking with S3's list of
     * parts that they are exactly the staged ones (count, sizes, ETags): a wrong object is never completed.
     * Completing again after a completion whose clean-up was cut short finds the blob and only cleans up.
     */
    @Override
    public void completeStaging(Staging staging) throws IOException {
        String key = staging.key();
        String objectKey = objectKey(key);
        StagingHandle at = StagingHandle.parse(staging.handle());
        if (staging.size() == 0) {
            // S3 completes no upload without parts: an empty blob is one empty PUT.
            writeOnce(key, conditional -> s3.putObject(b -> {
                b.bucket(bucket).key(objectKey).contentType("application/octet-stream").metadata(Map.of(SHA256_METADATA, EMPTY_SHA256));
                if (conditional) {
                    b.ifNoneMatch("*");
                }
            }, RequestBody.empty()));
            abortStagingUpload(objectKey, at.uploadId());
            deleteStagingObjectsQuietly(key);
            return;
        }
        try {
            StagingHandle last = at.tail() == null ? at : uploadTail(key, objectKey, at, staging.size() - at.partBytes());
            List<CompletedPart> parts = stagedParts(key, objectKey, last, staging.size());
            completeMultipart(key, objectKey, last.uploadId(), CompletedMultipartUpload.builder().parts(parts).build());
        } catch (S3StorageException e) {
            if (e.status() != 404 || !stat(key).map(blob -> blob.size() == staging.size()).orElse(false)) {
                throw e;
            }
            // The upload (or its tail) is gone because an earlier call completed it; only the clean-up is left.
        }
        deleteStagingObjectsQuietly(key);
    }

    private StagingHandle uploadTail(String key, String objectKey, StagingHandle at, long size) throws IOException {
        Path spool = spoolDir.resolve(SPOOL_PREFIX + UUID.randomUUID());
        try {
            try (FileChannel part = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                download(tailKey(key, at.tail()), size, part);
            }
            return uploadPart(objectKey, at, spool, size);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Parts 1..{@code at.parts()} as S3 lists them, checked against the handle and {@code size}. */
    private List<CompletedPart> stagedParts(String key, String objectKey, StagingHandle at, long size) throws IOException {
        List<CompletedPart> parts = new ArrayList<>(at.parts());
        String fingerprint = StagingHandle.NO_PARTS;
        long bytes = 0;
        Integer marker = null;
        boolean more = true;
        while (more && parts.size() < at.parts()) {
            Integer after = marker;
            ListPartsResponse page = call(() -> s3.listParts(b -> b.bucket(bucket).key(objectKey).uploadId(at.uploadId()).partNumberMarker(after)));
            for (Part part : page.parts()) {
                if (part.partNumber() > at.parts()) {
                    break; // leftovers of appends that were never recorded
                }
                if (part.partNumber() != parts.size() + 1) {
                    throw new IOException("Staging " + key + " lacks part " + (parts.size() + 1) + " in S3; it cannot be completed");
                }
                parts.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build());
                fingerprint = StagingHandle.chain(fingerprint, part.eTag());
                bytes += part.size();
            }
            more = Boolean.TRUE.equals(page.isTruncated());
            marker = page.nextPartNumberMarker();
        }
        if (parts.size() != at.parts() || bytes != size || !fingerprint.equals(at.fingerprint())) {
            throw new IOException("The parts of staging " + key + " in S3 (" + parts.size() + " parts, " + bytes + " bytes) are not those it recorded ("
                    + at.parts() + " parts, " + size + " bytes" + (bytes == size ? ", other ETags" : "") + "); it cannot be completed");
        }
        return parts;
    }

    @Override
    public void abortStaging(Staging staging) throws IOException {
        abortStagingUpload(objectKey(staging.key()), StagingHandle.parse(staging.handle()).uploadId());
        deleteStagingObjects(staging.key());
    }

    /** Aborts a multipart upload; one that is gone already (completed or aborted) is no error. */
    private void abortStagingUpload(String objectKey, String uploadId) throws IOException {
        try {
            call(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)));
        } catch (S3StorageException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** Deletes the marker and tails of a staging; the marker last, so that what a failure leaves is still found as a staging. */
    private void deleteStagingObjects(String key) throws IOException {
        deleteAll(stagingFolder(key), Comparator.comparing((String object) -> object.endsWith("/" + BEGUN_MARKER)));
    }

    /** Every object whose key starts with {@code keyPrefix}, all pages of the listing. */
    private List<S3Object> listAll(String keyPrefix) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).continuationToken(continuation)));
            objects.addAll(page.contents());
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    /** Deletes every object whose key starts with {@code keyPrefix}, one by one in {@code order} of their keys. */
    private void deleteAll(String keyPrefix, Comparator<String> order) throws IOException {
        List<String> keys = new ArrayList<>(listAll(keyPrefix).stream().map(S3Object::key).toList());
        keys.sort(order);
        for (String key : keys) {
            call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        }
    }

    /** After a completion: the blob is there, so a failed clean-up must not fail it; removeAbandonedStagings finishes it. */
    private void deleteStagingObjectsQuietly(String key) {
        try {
            deleteStagingObjects(key);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not remove the staged pieces of " + key + " after its completion; "
                    + "removing abandoned stagings removes them once they are older than the grace period");
        }
    }

    /**
     * Finds stagings by their objects under .staging/; one is last written when its newest marker or tail was
     * (each append that keeps bytes ends by writing a tail, or writes whole parts only while its caller
     * records them, and so is live).
     */
    @Override
    public int removeAbandonedStagings(Instant cutoff, Set<String> live) throws IOException {
        String area = prefix + STAGING_AREA;
        Map<String, Instant> lastWritten = new TreeMap<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(area).continuationToken(continuation)));
            for (S3Object object : page.contents()) {
                String rest = object.key().substring(area.length());
                int slash = rest.lastIndexOf('/');
                String key = slash < 0 ? null : rest.substring(0, slash);
                if (BlobKeys.isValid(key) && object.lastModified() != null) {
                    lastWritten.merge(key, object.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        int removed = 0;
        for (Map.Entry<String, Instant> staging : lastWritten.entrySet()) {
            if (live.contains(staging.getKey()) || !staging.getValue().isBefore(cutoff)) {
                continue;
            }
            for (String uploadId : multipartUploadsOf(objectKey(staging.getKey()))) {
                abortStagingUpload(objectKey(staging.getKey()), uploadId);
            }
            deleteStagingObjects(staging.getKey());
            removed++;
        }
        return removed;
    }

    /** The ids of the multipart uploads on exactly {@code objectKey}. */
    private List<String> multipartUploadsOf(String objectKey) throws IOException {
        List<String> ids = new ArrayList<>();
        forEachMultipartUpload(objectKey, upload -> {
            if (upload.key().equals(objectKey)) {
                ids.add(upload.uploadId());
            }
        });
        return ids;
    }

    /**
     * Visits the multipart uploads on keys starting with {@code keyPrefix}, page by page with the SDK's
     * paginator. Pages are fetched as the visit reaches them (so a visit may abort uploads it has seen),
     * and a failed fetch is an {@link S3StorageException} like any other call.
     */
    private void forEachMultipartUpload(String keyPrefix, UploadVisitor visitor) throws IOException {
        Iterator<ListMultipartUploadsResponse> pages = call(() -> s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(keyPrefix)).iterator());
        while (pages.hasNext()) {
            for (MultipartUpload upload : call(pages::next).uploads()) {
                visitor.visit(upload);
            }
        }
    }

    @FunctionalInterface
    private interface UploadVisitor {
        void visit(MultipartUpload upload) throws IOException;
    }

    /**
     * Aborts multipart uploads under the prefix started before {@code cutoff} (a crash between parts leaves
     * them, and S3 bills their parts) and removes spool files of the same age. A staging's upload lives as long
     * as its resumable upload, often longer than the cutoff: those are {@link #removeAbandonedStagings}' to remove.
     */
    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        int removed = Folders.removeFilesOlderThan(spoolDir, cutoff);
        int[] aborted = {0};
        forEachMultipartUpload(prefix, upload -> {
            if (upload.initiated() != null && upload.initiated().isBefore(cutoff) && !isStagingUpload(upload.key())) {
                abortQuietly(upload.key(), upload.uploadId());
                aborted[0]++;
            }
        });
        return removed + aborted[0];
    }

    /** Whether the multipart upload on {@code objectKey} belongs to a staging (its marker is there). */
    private boolean isStagingUpload(String objectKey) throws IOException {
        String key = objectKey.substring(prefix.length());
        return BlobKeys.isValid(key) && exists(markerKey(key));
    }

    // --- presigned uploads: a staging whose parts the client sends to S3 itself ---------------------------

    @Override
    public Optional<BackupShelf> backupShelf() {
        return Optional.of(backupShelf);
    }

    /**
     * Backups in the bucket, under {@code <prefix>.backups/<name>/}: every server reaches them, and no blob key
     * can start with a dot, so {@link #list} and reconciliation never see them. Each file is one {@code PUT}
     * (at most 5 GiB: a database dump of tens of millions of drops), the database file last.
     */
    private final class BucketShelf implements BackupShelf {

        private static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
        /** Not a field: this shelf is made before the constructor has set {@code prefix}. */
        private String backupArea() {
            return prefix + ".backups/";
        }

        @Override
        public String put(String name, Path written) throws IOException {
            List<Path> files;
            try (var walk = Files.walk(written)) {
                files = walk.filter(Files::isRegularFile)
                        .sorted(Comparator.comparing((Path file) -> DATABASE_FILES.contains(file.getFileName().toString())).thenComparing(Comparator.naturalOrder()))
                        .toList();
            }
            for (Path file : files) {
                long size = Files.size(file);
                if (size > MAX_SINGLE_PUT) {
                    throw new IOException(file + " is " + size + " bytes; a backup file in the bucket is one PUT of at most 5 GiB");
                }
                String objectKey = backupArea() + name + "/" + written.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                call(() -> s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType("application/octet-stream"), RequestBody.fromFile(file)));
            }
            return location() + name + "/";
        }

        @Override
        public List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            for (S3Object object : listAll(backupArea())) {
                String[] parts = object.key().substring(backupArea().length()).split("/");
                if (parts.length == 2 && NAME.matcher(parts[0]).matches() && DATABASE_FILES.contains(parts[1])) {
                    names.add(parts[0]);
                }
            }
            return names;
        }

        @Override
        public void remove(String name) throws IOException {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a backup's name: " + name);
            }
            String folder = backupArea() + name + "/";
            // The database file first: a removal cut short leaves no backup that looks finished but is not whole.
            deleteAll(folder, Comparator.comparing((String key) -> !DATABASE_FILES.contains(key.substring(folder.length()))));
        }

        @Override
        public String location() {
            return "s3://" + bucket + "/" + backupArea();
        }
    }

    @Override
    public boolean presignedUploads() {
        return true;
    }

    /**
     * One presigned UploadPart URL per part of the staging's multipart upload, each signed with the part's exact
     * {@code Content-Length} (S3 refuses a body of another length), valid until {@code expires} (at most 7 days).
     */
    @Override
    public PresignedParts presignParts(Staging staging, long size, Instant expires) throws IOException {
        StagingHandle at = StagingHandle.parse(staging.handle());
        if (at.parts() > 0 || at.tail() != null) {
            throw new IllegalStateException("staging " + staging.key() + " has bytes already; presigned parts are for a new one");
        }
        int count = PresignedParts.partCount(partSize, size);
        if (count > MAX_PARTS) {
            throw new IOException(size + " bytes need " + count + " parts of " + partSize + " bytes, more than S3's " + MAX_PARTS);
        }
        Duration valid = Duration.between(Instant.now(), expires);
        if (valid.compareTo(S3Settings.MAX_PRESIGN_EXPIRY) > 0) {
            valid = S3Settings.MAX_PRESIGN_EXPIRY;
        }
        if (valid.isNegative() || valid.isZero()) {
            throw new IllegalArgumentException("presigned URLs must expire in the future, not " + expires);
        }
        Duration duration = valid;
        String objectKey = objectKey(staging.key());
        List<URI> urls = new ArrayList<>(count);
        try {
            for (int number = 1; number <= count; number++) {
                int partNumber = number;
                long length = PresignedParts.partLength(partSize, size, number);
                urls.add(presigner.presignUploadPart(p -> p.signatureDuration(duration).uploadPartRequest(b -> b.bucket(bucket).key(objectKey)
                        .uploadId(at.uploadId()).partNumber(partNumber).contentLength(length))).url().toURI());
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("The SDK made an unusable URL", e);
        }
        return new PresignedParts(partSize, size, urls, Instant.now().plus(duration));
    }

    /**
     * Lists the upload's parts and completes it only if parts 1..n are there with exactly the sizes
     * {@code size} bytes need (extra part numbers count as a mismatch too). The client's ETags are not needed:
     * S3's list of parts is the record. Completing again after a completion whose clean-up was cut short finds
     * the blob and only cleans up.
     */
    @Override
    public void completePresigned(Staging staging, long size) throws IOException {
        String key = staging.key();
        String objectKey = objectKey(key);
        StagingHandle at = StagingHandle.parse(staging.handle());
        int count = PresignedParts.partCount(partSize, size);
        List<CompletedPart> parts = new ArrayList<>(count);
        List<String> problems = new ArrayList<>();
        Integer marker = null;
        boolean more = true;
        try {
            while (more) {
                Integer after = marker;
                ListPartsResponse page = call(() -> s3.listParts(b -> b.bucket(bucket).key(objectKey).uploadId(at.uploadId()).partNumberMarker(after)));
                for (Part part : page.parts()) {
                    int number = part.partNumber();
                    if (number > count) {
                        problems.add("part " + number + " is beyond the " + count + " parts of " + size + " bytes");
                        continue;
                    }
                    long expected = PresignedParts.partLength(partSize, size, number);
                    if (part.size() == null || part.size() != expected) {
                        problems.add("part " + number + " has " + part.size() + " bytes, not " + expected);
                    }
                    parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
                }
                more = Boolean.TRUE.equals(page.isTruncated());
                marker = page.nextPartNumberMarker();
            }
        } catch (S3StorageException e) {
            if (e.status() == 404 && stat(key).map(blob -> blob.size() == size).orElse(false)) {
                deleteStagingObjectsQuietly(key); // completed before; only the clean-up was left
                return;
            }
            throw e;
        }
        if (parts.size() < count) {
            java.util.Set<Integer> have = new java.util.HashSet<>();
            parts.forEach(part -> have.add(part.partNumber()));
            List<Integer> missing = new ArrayList<>();
            for (int number = 1; number <= count && missing.size() < 10; number++) {
                if (!have.contains(number)) {
                    missing.add(number);
                }
            }
            problems.add(0, (count - parts.size()) + " of " + count + " parts missing (" + missing.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + (count - parts.size() > missing.size() ? ", …" : "") + ")");
        }
        if (!problems.isEmpty()) {
            throw new PartsMismatchException(String.join("; ", problems));
        }
        parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
        completeMultipart(key, objectKey, at.uploadId(), CompletedMultipartUpload.builder().parts(parts).build());
        deleteStagingObjectsQuietly(key);
    }

    /**
     * A presigned GET for the blob, valid for the configured time, that makes S3 answer with the given
     * Content-Type and Content-Disposition; empty unless presigned downloads are on.
     */
    @Override
    public Optional<URI> downloadUrl(String key, String contentType, String contentDisposition) {
        if (!presignDownloads) {
            return Optional.empty();
        }
        String objectKey = objectKey(key);
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(presignExpiry)
                    .getObjectRequest(b -> b.bucket(bucket).key(objectKey).responseContentType(contentType)
                            .responseContentDisposition(contentDisposition))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("The SDK made an unusable URL", e);
        }
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }

    private static BlobInfo info(String key, Long size, Instant lastModified, String etag, Map<String, String> metadata) {
        return new BlobInfo(key, size == null ? 0 : size, lastModified, etag, metadata == null ? Map.of() : Map.copyOf(metadata));
    }

    private <T> T get(String key, SdkCall<T> call) throws IOException {
        try {
            return call(call);
        } catch (S3StorageException e) {
            if (e.status() == 404) {
                throw new NoSuchBlobException(key);
            }
            throw e;
        }
    }

    /** Runs an SDK call, turning its unchecked failures into {@link S3StorageException} (an IOException). */
    private static <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw new S3StorageException(404, e);
        } catch (S3Exception e) {
            throw new S3StorageException(e.statusCode(), e);
        } catch (SdkException e) {
            throw new S3StorageException(0, e);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
