/**
 * Implementations of the domain's use cases, every limit and credential enforced in the database. May import
 * {@code drop}, {@code storage} and {@code config}.
 * <p>
 * Where to start reading: {@code DefaultUploads} (with {@code StagingSession} and {@code StagedBlobs}: an
 * upload's blobs have one owner until its transaction takes them), then {@code DefaultDropService}, the
 * {@code DropService}, where each use case is a few calls to the parts it is made of:
 * <ul>
 * <li>{@code DropRules}: what a drop may be (field, file and page limits, allowed expiry) and when it is gone;</li>
 * <li>{@code DropAccessPolicy}: who may open, change, delete or list a drop, and unlocking by password under
 * the guessing limit of {@code PasswordAttempts};</li>
 * <li>{@code DropQueries}: the reads by slug, the list, and the {@code DropView} callers get;</li>
 * <li>{@code DropDownloads}: which drop a download may read, and its slot or grant in {@code DownloadGrants}
 * (taken before the first byte, settled after the last);</li>
 * <li>{@code DropWriter}: the short write-first transactions (see there why SQLite needs them), with
 * {@code BlobCompensation} keeping blobs in step with rows (a rollback's blobs and deleted rows' blobs go).</li>
 * </ul>
 * {@code CommittedEvents} fires drop events once their change has committed; {@code ContentSniffer} detects an
 * upload's type from its bytes. API keys are {@code DefaultApiKeyService}.
 */
package io.teledrop.drop.internal;
