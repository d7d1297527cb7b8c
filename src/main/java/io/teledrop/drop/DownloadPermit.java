package io.teledrop.drop;

/**
 * The right to send {@code reservedBytes} of one file, or the ZIP, of a drop, taken before the first byte by
 * {@link DropService#reserveDownload} and handed back with {@link DropService#finishDownload}, which
 * returns what was not sent. For a drop with a download limit it stands for a slot in the database (a new
 * counted copy, {@code counted}) or a draw on a grant this client holds for the file (a resume);
 * without a limit it is only the note that a download began.
 *
 * @param slug          the drop's canonical slug
 * @param dropId        the drop's identity
 * @param grantId       the grant drawn on, or null (no limit, or the ZIP)
 * @param reservedBytes bytes this transfer may send
 * @param wholeFile     a 200 answer with the whole file or ZIP, not a range
 * @param counted       this transfer took one of the drop's download slots
 * @param limited       the drop has a download limit
 */
public record DownloadPermit(String slug, String dropId, String grantId, long reservedBytes, boolean wholeFile, boolean counted,
                             boolean limited) {
}
