package io.teledrop.drop;

import java.util.List;
import java.util.Optional;

/**
 * The use cases of drops once they exist (an upload creates them, through {@link Uploads}): read (find, unlock, list), download
 * (reserve and finish, which enforce download limits), change and delete, and the sweep. Every limit and
 * credential is checked here, against the database. Implementations are thread-safe.
 */
public interface DropService {

    /**
     * The drop with this slug (in any case), or empty if there is none, ignoring any password: for the
     * server's own use. Requests go through {@link #find(String, Access)}.
     *
     * @throws DropGoneException if it has expired
     */
    Optional<DropView> find(String slug);

    /**
     * The drop as a request may see it.
     *
     * @throws DropGoneException          if it has expired or is used up
     * @throws PasswordRequiredException  if it is protected and {@code access} opens it neither by unlock
     *                                    token, delete token nor an API key with {@code read}
     */
    Optional<DropView> find(String slug, Access access);

    /**
     * Trades a drop's password for a short-lived unlock token.
     *
     * @param client who is asking (the remote address), for the per-client limit of wrong passwords
     * @throws WrongPasswordException    if the password is wrong
     * @throws TooManyAttemptsException  if this client or everyone tried too many wrong passwords lately
     */
    Unlocked unlock(String slug, String password, String client);

    /**
     * A page of drops whose slug starts with {@code query} or whose title contains it, ignoring case (null or
     * empty: all), in {@code sort} order.
     * A sensitive operation: needs an API key with {@code read} while {@code teledrop.auth.require-api-key}.
     *
     * @throws ApiKeyRequiredException     if no API key came and one is required
     * @throws PermissionDeniedException  if the key lacks {@code read}
     * @throws InvalidInputException if page, size or prefix are out of range
     */
    DropPage list(Access access, String query, DropSort sort, int page, int size);

    /**
     * A page of the drops the caller created (signed in, or with an access token), newest first; expired ones
     * until the sweep removes them.
     *
     * @throws ApiKeyRequiredException if {@code access} names no caller
     * @throws InvalidInputException   if page or size are out of range
     */
    DropPage listOwn(Access access, int page, int size);

    /**
     * Keeps a drop {@code by} longer: its expiry moves that much later (from now, if already past), capped at
     * the longest lifetime the server allows from now. A drop without expiry stays without one.
     *
     * @throws DeleteNotAllowedException if the delete token is missing or wrong and neither an API key nor the
     *                                   drop's creator permits it
     */
    DropView extend(String slug, Access access, java.time.Duration by);

    /**
     * Changes title, description or expiry; fields {@code changes} leaves null stay as they are.
     *
     * @throws DeleteNotAllowedException if the delete token is missing or wrong and no API key permits it
     */
    DropView update(String slug, Access access, DropChanges changes);

    /**
     * Deletes a drop and, once that has committed, its blobs.
     *
     * @throws DropNotFoundException      if there is no such drop
     * @throws DeleteNotAllowedException  if {@code deleteToken} is missing or wrong
     */
    void delete(String slug, Access access);

    /**
     * The drop as a download request may see it: like {@link #find(String, Access)}, but a drop whose
     * download slots are all taken is still returned (its earlier copies may be resumed); the slot or grant is
     * taken by {@link #reserveDownload}.
     *
     * @throws DropGoneException         if it has expired
     * @throws PasswordRequiredException if it is protected and {@code access} does not open it
     */
    Optional<DropView> findForDownload(String slug, Access access);

    /**
     * Reserves the right to send {@code bytes} of a file ({@code fileId}), or of the ZIP ({@code fileId} null),
     * before the first byte goes out. For a drop with a download limit: a range ({@code wholeFile} false)
     * draws on a grant that {@code client} holds for that file, if one has room; otherwise, and for every
     * whole file or ZIP, one of the drop's download slots is taken by a conditional update, and a grant of the
     * file's size plus a resend allowance (less than one copy divided by the limit) is opened for resumes.
     * So the server never sends more bytes of a file than its limit's worth of whole copies.
     *
     * @param client who is asking (the remote address); only its hash is stored
     * @throws DropGoneException if the drop expired or every download slot is taken
     */
    DownloadPermit reserveDownload(DropView drop, String fileId, long bytes, boolean wholeFile, String client);

    /**
     * Ends a transfer begun with {@link #reserveDownload}: bytes reserved but not sent go back to the grant;
     * a counted transfer that sent nothing gives its slot back; a whole file or ZIP sent {@code complete}ly is
     * one complete download (for the event and, without a limit, the count).
     */
    void finishDownload(DownloadPermit permit, long bytesSent, boolean complete);

    /** Deletes expired and used-up drops with their blobs; returns their slugs. At most 500 per call. */
    List<String> sweep();

    /** Deletes one file of a drop and, once that has committed, its blob. */
    void deleteFile(String slug, String fileId, Access access);
}
