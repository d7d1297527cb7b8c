package io.teledrop.drop.internal;

import io.teledrop.config.DataSize;
import io.teledrop.config.Settings;
import io.teledrop.drop.ChecksumMismatchException;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.FileNames;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.NewPresignedUpload;
import io.teledrop.drop.NewResumableUpload;
import io.teledrop.drop.PresignedUpload;
import io.teledrop.drop.PresignedUploads;
import io.teledrop.drop.PresignedUploadsUnavailableException;
import io.teledrop.drop.ResumableUpload;
import io.teledrop.drop.ResumableUpload.CompletedFile;
import io.teledrop.drop.ResumableUploads;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import io.teledrop.drop.TypeNotAllowedException;
import io.teledrop.drop.UploadIncompleteException;
import io.teledrop.drop.UploadLengthException;
import io.teledrop.drop.UploadLockedException;
import io.teledrop.drop.UploadNotFoundException;
import io.teledrop.drop.UploadOffsetException;
import io.teledrop.drop.internal.ResumableWriter.UploadRow;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.CountingInputStream;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PartsMismatchException;
import io.teledrop.storage.PresignedParts;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link ResumableUploads} over the database ({@link ResumableWriter}) and the blob store's stagings.
 * <p>
 * An append claims the upload in the database first (one conditional UPDATE that also checks the client's
 * offset), streams into the staging, records durable progress as the store reports it, and lets go. The
 * claim runs for {@link #CLAIM_TIME} and is renewed while bytes flow; a request whose client vanished holds
 * it until then at most, after which the client's retry takes over. A request writes only while its claim
 * was renewed within the last {@link #RENEW_EVERY}, well inside the claim, so two requests never write one
 * upload's bytes at once as long as the servers' clocks agree within {@code CLAIM_TIME - RENEW_EVERY}.
 */
@ApplicationScoped
public class DefaultResumableUploads implements ResumableUploads, PresignedUploads {

    private static final Logger LOG = Logger.getLogger(DefaultResumableUploads.class.getName());
    static final Duration CLAIM_TIME = Duration.ofSeconds(30);
    /**
     * How long completing a presigned upload holds it: S3 lists the parts and puts them together (minutes for a
     * large object on AWS) without anything renewing the claim, and neither the sweep nor a cancel or a second
     * complete may take the upload meanwhile. A server that dies while completing leaves it held this long.
     */
    static final Duration COMPLETION_CLAIM_TIME = Duration.ofMinutes(15);
    static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    /** As in {@link StagingSession}: enough for every magic number Tika knows. */
    private static final int SNIFF_BYTES = BlobStore.STAGED_PREFIX_LIMIT;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Settings settings;

    @Inject
    BlobStore blobs;

    @Inject
    BlobCompensation compensation;

    @Inject
    DefaultUploads uploads;

    @Inject
    DropRules rules;

    @Inject
    DropQueries queries;

    @Inject
    ResumableWriter writer;

    @Inject
    ReadTransaction reads;

    @Inject
    CommittedEvents events;

    private final ResumableDigests digests = new ResumableDigests();

    @Override
    public ResumableUpload create(NewResumableUpload wanted) throws IOException {
        return create(wanted, null).upload();
    }

    /** A new upload as its client sees it, and as recorded. */
    private record Created(ResumableUpload upload, UploadRow row) {
    }

    private Created create(NewResumableUpload wanted, ResumableWriter.Presigned presigned) throws IOException {
        uploads.checkUploader(wanted.access());
        Long length = wanted.length();
        if (length != null) {
            requireFileSize(length);
        }
        String fileName = FileNames.sanitize(wanted.fileName());
        Instant now = DropRules.CLOCK.instant();
        Instant expires = now.plus(settings.resumable().lifetime());
        String id = newId();
        String client = DeleteTokens.hash(wanted.client() == null ? "" : wanted.client());
        Drop existing = wanted.existingDrop() == null ? null : uploads.changeableDrop(wanted.existingDrop(), wanted.access());
        DefaultUploads.DraftDrop draft = existing == null ? uploads.draft(wanted.drop(), wanted.access().caller()) : null;
        if (draft != null && wanted.drop().slug() != null && reads.read(() -> queries.slugExists(draft.drop().getSlug()))) {
            throw new SlugTakenException(draft.drop().getSlug());
        }
        if (length != null) {
            blobs.requireRoom(length);
        }
        Staging staging = blobs.beginStaging(BlobKeys.newKey());
        Drop drop = existing != null ? existing : draft.drop();
        UploadRow row = new UploadRow(id, drop.getId(), drop.getSlug(), 0, fileName, length, 0, null, staging, client, now, expires,
                null, null, null, wanted.metadata(), presigned);
        boolean recorded = false;
        try {
            if (existing != null) {
                writer.insertIntoDrop(existing, row, settings.maxFilesPerDrop(), settings.maxDropSize(),
                        settings.resumable().maxPerClient(), settings.resumable().maxTotal());
            } else {
                writer.insertWithNewDrop(draft.drop(), row, settings.resumable().maxPerClient(), settings.resumable().maxTotal());
            }
            recorded = true;
        } finally {
            if (!recorded) {
                compensation.abortQuietly(staging);
            }
        }
        digests.put(id, 0, digest("SHA-256"));
        return new Created(new ResumableUpload(id, drop.getSlug(), length, 0, expires, draft == null ? null : draft.deleteToken(), Optional.empty(),
                false, wanted.metadata()), row);
    }

    /** 128 random bits, URL-safe: the upload's URL is all its client needs to continue or cancel it. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void requireFileSize(long length) throws BlobTooLargeException {
        if (length > settings.maxFileSize()) {
            throw new BlobTooLargeException(settings.maxFileSize());
        }
        if (length > settings.maxDropSize()) {
            throw new DropTooLargeException(DataSize.format(settings.maxDropSize()));
        }
    }

    @Override
    public ResumableUpload find(String id) throws IOException {
        UploadRow row = require(id);
        if (!row.complete() && row.lengthReached()) {
            // The last byte arrived but the server stopped before the file was recorded: finish it now.
            String owner = UUID.randomUUID().toString();
            Instant now = DropRules.CLOCK.instant();
            Optional<UploadRow> claimed = writer.claim(row, owner, now, now.plus(CLAIM_TIME));
            if (claimed.isPresent()) {
                try {
                    return complete(claimed.get(), owner, null, false);
                } catch (IOException | RuntimeException e) {
                    writer.unlock(id, owner);
                    throw e;
                }
            }
        }
        return view(row, false);
    }

    /** An upload of tus or IETF: a presigned upload's bytes are not theirs to append to. */
    private UploadRow require(String id) {
        UploadRow row = id == null || id.length() > 64 ? null : reads.read(() -> writer.find(id)).orElse(null);
        if (row == null || row.presigned() != null) {
            throw new UploadNotFoundException("There is no upload " + id + " (it completed and was cleared, was cancelled, or never was).", false);
        }
        if (!row.complete() && !row.expires().isAfter(DropRules.CLOCK.instant())) {
            throw new UploadNotFoundException("The upload " + id + " expired; its bytes are being removed.", true);
        }
        return row;
    }

    private ResumableUpload view(UploadRow row, boolean interrupted) {
        Optional<CompletedFile> file = Optional.empty();
        if (row.complete()) {
            file = reads.read(() -> queries.fileById(row.fileId()))
                    .map(f -> new CompletedFile(f.getId(), f.getOriginalName(), f.getSize(), f.getContentType(), f.getSha256()));
        }
        return new ResumableUpload(row.id(), row.slug(), row.length(), row.offset(), row.expires(), null, file, interrupted, row.metadata());
    }

    @Override
    public ResumableUpload append(String id, Piece piece) throws IOException {
        UploadRow row = require(id);
        checkPiece(row, piece);
        String owner = UUID.randomUUID().toString();
        Instant now = DropRules.CLOCK.instant();
        // checkPiece made sure that the piece starts at the offset the claim requires.
        row = writer.claim(row, owner, now, now.plus(CLAIM_TIME)).orElseThrow(() -> refusedClaim(id, piece.offset()));
        boolean released = false;
        // The digest of bytes [0, offset) if this server saw them all; kept only if it covers exactly what is durable.
        MessageDigest whole = digests.take(id, row.offset());
        boolean keepDigest = false;
        try {
            Long length = row.length();
            Long stated = piece.uploadLength() != null ? piece.uploadLength()
                    : piece.last() && piece.declaredLength() >= 0 ? (Long) (row.offset() + piece.declaredLength()) : null;
            if (length == null && stated != null) {
                requireFileSize(stated);
                writer.setLength(row, owner, stated, settings.maxDropSize());
                length = stated;
            }
            long room = length != null ? length - row.offset()
                    : Math.min(settings.maxFileSize(), settings.maxDropSize()) - row.offset();
            ClaimKeeper keeper = new ClaimKeeper(piece.body(), id, owner);
            // The client's bytes into the upload's running digest (if there is one), counted.
            CountingInputStream counted = new CountingInputStream(keeper, whole);
            InputStream body = counted;
            MessageDigest pieceDigest = piece.checksum() == null ? null : digest(piece.checksum().algorithm());
            if (pieceDigest != null) {
                body = new DigestInputStream(body, pieceDigest);
            }
            String contentType = null;
            int headLength = 0;
            if (row.contentType() == null && row.offset() < SNIFF_BYTES) {
                Head head = Head.read(body, SNIFF_BYTES - (int) row.offset());
                headLength = head.bytes().length;
                boolean ends = head.failure() == null && head.endedEarly() && (piece.last() || (length != null && row.offset() + headLength == length));
                if (row.offset() + headLength >= SNIFF_BYTES || ends) {
                    contentType = sniff(row, head.bytes());
                    if (!settings.typeAccepted(contentType)) {
                        released = true;
                        cancelQuietly(row, owner);
                        throw new TypeNotAllowedException(FileNames.sanitize(row.fileName()), contentType);
                    }
                }
                body = head.followedBy(body);
            }
            Staging.Appended appended;
            try {
                appended = blobs.append(row.staging(), body, room, pieceDigest == null,
                        durable -> keeper.recorded(writer.progress(id, owner, durable, DropRules.CLOCK.instant().plus(CLAIM_TIME))));
            } catch (BlobTooLargeException e) {
                throw new UploadLengthException(length != null ? "The piece passes the upload's length of " + length + " bytes."
                        : "The upload passes the limit of " + DataSize.format(room + row.offset()) + ".");
            } catch (NoSuchBlobException e) {
                throw new UploadNotFoundException("The upload " + id + " was cancelled (or its drop deleted) while this piece arrived.", false);
            }
            Staging staged = appended.staging();
            if (appended.interruption() instanceof ClaimKeeper.ClaimLost) {
                released = true;
                throw new UploadLockedException("Another request took over this upload while this one stalled.");
            }
            if (pieceDigest != null && !appended.interrupted() && !MessageDigest.isEqual(pieceDigest.digest(), piece.checksum().expected())) {
                blobs.releasePieces(staged, row.staging());
                throw new ChecksumMismatchException("The piece does not match its " + piece.checksum().algorithm() + " checksum; none of it was kept.");
            }
            // The type was read from bytes that were kept, or it is not known yet.
            if (contentType != null && staged.size() < row.offset() + headLength) {
                contentType = null;
            }
            boolean digestCovers = whole != null && counted.count() == staged.size() - row.offset();
            if (length == null && piece.last() && !appended.interrupted()) {
                // The last piece of an upload whose length nobody stated (a chunked body): it ends here.
                length = staged.size();
                requireFileSize(length);
                writer.setLength(row, owner, length, settings.maxDropSize());
            }
            if (length != null && staged.size() == length && !appended.interrupted()) {
                UploadRow reached = withStaging(row, staged, length, contentType);
                released = true;
                if (!writer.progress(id, owner, staged, DropRules.CLOCK.instant().plus(CLAIM_TIME))) {
                    throw new UploadLockedException("Another request took over this upload while this one stalled.");
                }
                blobs.releasePieces(row.staging(), staged);
                return complete(reached, owner, digestCovers ? whole : null, false);
            }
            Instant expires = DropRules.CLOCK.instant().plus(settings.resumable().lifetime());
            released = true;
            if (!writer.release(id, owner, staged, contentType, expires)) {
                throw new UploadLockedException("Another request took over this upload while this one stalled.");
            }
            blobs.releasePieces(row.staging(), staged);
            if (digestCovers) {
                digests.put(id, staged.size(), whole);
                keepDigest = true;
            }
            if (piece.last() && !appended.interrupted()) {
                throw new UploadLengthException("The piece said it was the last, but the upload holds " + staged.size()
                        + " of its " + length + " bytes; send the rest from offset " + staged.size() + ".");
            }
            return new ResumableUpload(id, row.slug(), length, staged.size(), expires, null, Optional.empty(), appended.interrupted(),
                    row.metadata());
        } finally {
            if (!released) {
                try {
                    writer.unlock(id, owner);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "could not let go of upload " + id + "; its claim runs out by itself", e);
                }
            }
            if (!keepDigest) {
                digests.forget(id);
            }
        }
    }

    private static UploadRow withStaging(UploadRow row, Staging staging, Long length, String contentType) {
        return new UploadRow(row.id(), row.dropId(), row.slug(), row.position(), row.fileName(), length, staging.size(),
                contentType != null ? contentType : row.contentType(), staging, row.client(), row.created(), row.expires(),
                row.lockOwner(), row.lockUntil(), row.fileId(), row.metadata(), row.presigned());
    }

    /** What can be refused before the claim: a complete upload, a piece past the length, a changed length. */
    private void checkPiece(UploadRow row, Piece piece) {
        if (row.complete()) {
            throw new UploadOffsetException("The upload is complete; its file is in the drop.", row.offset(), true);
        }
        if (piece.offset() != row.offset()) {
            throw new UploadOffsetException("The upload is at offset " + row.offset() + ", not " + piece.offset() + ".", row.offset(), false);
        }
        if (piece.uploadLength() != null && piece.uploadLength() < 0) {
            throw new UploadLengthException("An upload's length is not negative.");
        }
        if (row.length() != null && piece.uploadLength() != null && !piece.uploadLength().equals(row.length())) {
            throw new UploadLengthException("The upload's length is " + row.length() + " bytes; it cannot change to " + piece.uploadLength() + ".");
        }
        Long length = row.length() != null ? row.length() : piece.uploadLength();
        if (length != null && piece.declaredLength() > length - row.offset()) {
            throw new UploadLengthException("The piece of " + piece.declaredLength() + " bytes at offset " + row.offset()
                    + " passes the upload's length of " + length + " bytes.");
        }
        if (length != null && piece.last() && piece.declaredLength() >= 0 && row.offset() + piece.declaredLength() != length) {
            throw new UploadLengthException("The last piece must end at the upload's length of " + length + " bytes.");
        }
        if (length != null && length < row.offset()) {
            throw new UploadLengthException("The upload's length cannot be less than the " + row.offset() + " bytes already in.");
        }
    }

    /** Why a claim failed, read after it: gone, expired, moved on, or another request appending. */
    private RuntimeException refusedClaim(String id, long offset) {
        UploadRow now = require(id);
        if (now.complete() || now.offset() != offset) {
            return new UploadOffsetException(now.complete() ? "The upload is complete; its file is in the drop."
                    : "The upload is at offset " + now.offset() + ", not " + offset + ".", now.offset(), now.complete());
        }
        return new UploadLockedException("Another request is appending to this upload; try again in a few seconds.");
    }

    private String sniff(UploadRow row, byte[] head) throws IOException {
        int staged = (int) row.offset();
        ByteArrayOutputStream prefix = new ByteArrayOutputStream(staged + head.length);
        if (staged > 0) {
            try (InputStream in = blobs.openStagedPrefix(row.staging(), staged)) {
                in.transferTo(prefix);
            }
        }
        prefix.write(head);
        return ContentSniffer.detect(new BufferedInputStream(new ByteArrayInputStream(prefix.toByteArray()), SNIFF_BYTES), FileNames.sanitize(row.fileName()));
    }

    /**
     * Makes the staged bytes a file of the drop. The digest is the one carried along by this server when
     * every piece came through it in order; otherwise the finished blob is read back once.
     */
    private ResumableUpload complete(UploadRow row, String owner, MessageDigest whole, boolean interrupted) throws IOException {
        if (blobs.stat(row.staging().key()).isEmpty()) {
            blobs.completeStaging(row.staging());
        }
        String sha256 = whole != null ? HexFormat.of().formatHex(whole.digest()) : hashOf(row.staging().key(), row.id(), owner);
        if (row.presigned() != null && row.presigned().sha256() != null && !row.presigned().sha256().equals(sha256)) {
            cancelQuietly(row, owner); // its blob goes with it (BlobCompensation)
            throw new ChecksumMismatchException("The object's SHA-256 is " + sha256 + ", not the declared " + row.presigned().sha256()
                    + "; the upload was removed.");
        }
        String contentType = row.contentType();
        if (contentType == null) {
            try (StoredBlob blob = blobs.openRange(row.staging().key(), 0, Math.min(row.offset(), SNIFF_BYTES))) {
                contentType = ContentSniffer.detect(new BufferedInputStream(blob.stream(), SNIFF_BYTES), FileNames.sanitize(row.fileName()));
            }
            if (!settings.typeAccepted(contentType)) {
                cancelQuietly(row, owner); // its blob goes with it (BlobCompensation)
                throw new TypeNotAllowedException(FileNames.sanitize(row.fileName()), contentType);
            }
        }
        Instant now = DropRules.CLOCK.instant();
        StoredFile file = writer.finish(row, owner, row.offset(), contentType, sha256, now, now.plus(settings.resumable().lifetime()));
        events.fire(row.dropId(), row.slug(), DropEvent.FILE_ADDED, file.getId(), file.getOriginalName());
        return new ResumableUpload(row.id(), row.slug(), row.offset(), row.offset(), now.plus(settings.resumable().lifetime()), null,
                Optional.of(new CompletedFile(file.getId(), file.getOriginalName(), row.offset(), contentType, sha256)), interrupted,
                row.metadata());
    }

    /** The SHA-256 of a finished blob, read back; the claim is kept while it reads (gigabytes take a while). */
    private String hashOf(String key, String id, String owner) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        try (StoredBlob blob = blobs.open(key); InputStream in = new DigestInputStream(new ClaimKeeper(blob.stream(), id, owner), sha256)) {
            in.transferTo(OutputStreamSink.INSTANCE);
        } catch (ClaimKeeper.ClaimLost e) {
            throw new UploadLockedException("Another request took over this upload while this one finished it.");
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public void cancel(String id) {
        UploadRow row = require(id);
        if (row.complete()) {
            throw new UploadOffsetException("The upload is complete; delete its file from the drop instead.", row.offset(), true);
        }
        ResumableWriter.Removal removal = writer.remove(row, null, DropRules.CLOCK.instant(), false);
        if (!removal.uploadRemoved()) {
            throw new UploadLockedException("A request is appending to this upload; cancel it again in a few seconds.");
        }
        digests.forget(id);
        afterRemoval(row, removal, DropEvent.DROP_DELETED);
    }

    @Override
    public int sweep(Instant now) {
        int removed = 0;
        for (UploadRow row : reads.read(() -> writer.expired(now, 500))) {
            if (row.complete()) {
                continue;
            }
            ResumableWriter.Removal removal = writer.remove(row, null, now, true);
            if (removal.uploadRemoved()) {
                removed++;
                digests.forget(row.id());
                afterRemoval(row, removal, DropEvent.DROP_EXPIRED);
            }
        }
        return removed + writer.purgeFinished(now);
    }

    private void afterRemoval(UploadRow row, ResumableWriter.Removal removal, String dropEventType) {
        if (removal.dropRemoved()) {
            events.fire(row.dropId(), row.slug(), dropEventType, null, null);
        }
    }

    /** Removes an upload this request holds (its bytes refused); the claim is the request's, so nobody slips in between. */
    private void cancelQuietly(UploadRow row, String owner) {
        try {
            afterRemoval(row, writer.remove(row, owner, DropRules.CLOCK.instant(), false), DropEvent.DROP_DELETED);
            digests.forget(row.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not cancel refused upload " + row.id() + "; it expires by itself");
        }
    }

    // --- presigned uploads ------------------------------------------------------------------------------

    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    @Override
    public boolean available() {
        return blobs.presignedUploads();
    }

    @Override
    public PresignedUpload createPresigned(NewPresignedUpload wanted) throws IOException {
        if (!available()) {
            throw new PresignedUploadsUnavailableException();
        }
        if (wanted.size() < 1) {
            throw new InvalidInputException("size", "must be at least 1 (send an empty file through POST /api/uploads)");
        }
        if (wanted.sha256() != null && !SHA256_HEX.matcher(wanted.sha256()).matches()) {
            throw new InvalidInputException("sha256", "must be 64 hexadecimal digits");
        }
        if (wanted.contentType() != null && !settings.typeAccepted(wanted.contentType())) {
            throw new TypeNotAllowedException(FileNames.sanitize(wanted.fileName()), wanted.contentType());
        }
        requireFileSize(wanted.size());
        ResumableWriter.Presigned presigned = new ResumableWriter.Presigned(DeleteTokens.hash(wanted.uploader()),
                wanted.sha256() == null ? null : wanted.sha256().toLowerCase(java.util.Locale.ROOT));
        Created created = create(new NewResumableUpload(wanted.fileName(), wanted.size(), wanted.drop(), wanted.existingDrop(), wanted.access(),
                wanted.client(), null), presigned);
        PresignedParts parts;
        try {
            parts = blobs.presignParts(created.row().staging(), wanted.size(), created.upload().expires());
        } catch (IOException | RuntimeException e) {
            cancelQuietly(created.row(), null);
            throw e;
        }
        ResumableUpload upload = created.upload();
        return new PresignedUpload(upload.id(), upload.dropSlug(), wanted.size(), parts.partSize(), parts.urls(), parts.expires(),
                upload.deleteToken());
    }

    /** A presigned upload of {@code uploader}'s; anyone else's, or none, is not found (not even "not yours"). */
    private UploadRow requirePresigned(String id, String uploader) {
        UploadRow row = id == null || id.length() > 64 ? null : reads.read(() -> writer.find(id)).orElse(null);
        if (row == null || row.presigned() == null || !DeleteTokens.hash(uploader).equals(row.presigned().owner())) {
            throw new UploadNotFoundException("There is no presigned upload " + id + " of yours (it was cancelled, expired and was "
                    + "removed, or never was).", false);
        }
        if (!row.complete() && !row.expires().isAfter(DropRules.CLOCK.instant())) {
            throw new UploadNotFoundException("The presigned upload " + id + " expired; its parts are being removed.", true);
        }
        return row;
    }

    @Override
    public ResumableUpload completePresigned(String id, String uploader) throws IOException {
        UploadRow row = requirePresigned(id, uploader);
        if (row.complete()) {
            return view(row, false);
        }
        String owner = UUID.randomUUID().toString();
        Instant now = DropRules.CLOCK.instant();
        UploadRow claimed = writer.claim(row, owner, now, now.plus(COMPLETION_CLAIM_TIME))
                .orElseThrow(() -> new UploadLockedException("Another request is completing this upload; ask again in a few seconds."));
        boolean handedOn = false;
        try {
            try {
                blobs.completePresigned(claimed.staging(), claimed.length());
            } catch (PartsMismatchException e) {
                throw new UploadIncompleteException("The upload cannot be completed: " + e.getMessage() + ". Send the parts again "
                        + "(each PUT of exactly its part's bytes to its URL) and complete again.");
            }
            ResumableUpload completed = complete(withStaging(claimed, new Staging(claimed.staging().key(), claimed.length(),
                    claimed.staging().handle()), claimed.length(), null), owner, null, false);
            handedOn = true;
            return completed;
        } finally {
            if (!handedOn) {
                unlockQuietly(id, owner);
            }
        }
    }

    @Override
    public void cancelPresigned(String id, String uploader) {
        UploadRow row = requirePresigned(id, uploader);
        if (row.complete()) {
            throw new UploadOffsetException("The upload is complete; delete its file from the drop instead.", row.offset(), true);
        }
        ResumableWriter.Removal removal = writer.remove(row, null, DropRules.CLOCK.instant(), false);
        if (!removal.uploadRemoved()) {
            throw new UploadLockedException("The upload is being completed; try again in a few seconds.");
        }
        afterRemoval(row, removal, DropEvent.DROP_DELETED);
    }

    private void unlockQuietly(String id, String owner) {
        try {
            writer.unlock(id, owner);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not let go of upload " + id + "; its claim runs out by itself", e);
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidInputException("Upload-Checksum", "the algorithm " + algorithm + " is not supported");
        }
    }

    /** Discards bytes read only for their digest. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** The first bytes of a piece, read ahead for content sniffing, and how the reading ended. */
    private record Head(byte[] bytes, boolean endedEarly, IOException failure) {

        static Head read(InputStream in, int wanted) {
            byte[] buffer = new byte[wanted];
            int got = 0;
            try {
                while (got < wanted) {
                    int n = in.read(buffer, got, wanted - got);
                    if (n < 0) {
                        return new Head(java.util.Arrays.copyOf(buffer, got), true, null);
                    }
                    got += n;
                }
                return new Head(buffer, false, null);
            } catch (IOException e) {
                return new Head(java.util.Arrays.copyOf(buffer, got), true, e);
            }
        }

        /** The head again, then the rest of the body (or the failure that cut it). */
        InputStream followedBy(InputStream rest) {
            InputStream tail = failure == null ? rest : new InputStream() {
                @Override
                public int read() throws IOException {
                    throw failure;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    throw failure;
                }
            };
            return new SequenceInputStream(new ByteArrayInputStream(bytes), tail);
        }
    }

    /**
     * The client's body, renewing the append's claim while bytes flow: before it hands on bytes read more
     * than {@link #RENEW_EVERY} after the last renewal, it renews, and if the claim was lost it fails instead.
     */
    private final class ClaimKeeper extends FilterInputStream {

        /** The claim went to another request; the bytes this one holds must not be written. */
        static final class ClaimLost extends IOException {
            ClaimLost() {
                super("the upload's claim went to another request");
            }
        }

        private final String id;
        private final String owner;
        private long renewedAt = System.nanoTime();

        ClaimKeeper(InputStream in, String id, String owner) {
            super(in);
            this.id = id;
            this.owner = owner;
        }

        /** Progress was recorded (which renews the claim too), or the claim was found lost. */
        void recorded(boolean held) throws IOException {
            if (!held) {
                throw new ClaimLost();
            }
            renewedAt = System.nanoTime();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            keepClaim();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            keepClaim();
            return n;
        }

        private void keepClaim() throws IOException {
            if (System.nanoTime() - renewedAt > RENEW_EVERY.toNanos()) {
                Instant until = DropRules.CLOCK.instant().plus(CLAIM_TIME);
                if (!writer.renew(id, owner, until)) {
                    throw new ClaimLost();
                }
                renewedAt = System.nanoTime();
            }
        }
    }
}
