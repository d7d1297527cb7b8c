package io.teledrop.drop;

import java.io.IOException;
import java.io.InputStream;

/**
 * One upload: files are staged in the blob store as they arrive, then committed as a new drop or as files of
 * an existing one. The session owns the blobs it staged until a commit hands them to its transaction (whose
 * rollback observer then removes them); {@link #close()} removes whatever it still owns, so a refused,
 * broken or abandoned upload leaves nothing behind and every blob is deleted by exactly one party.
 * <p>
 * Use it in try-with-resources, from one thread. It never closes the streams it is given.
 */
public interface UploadSession extends AutoCloseable {

    /**
     * Checks a new drop's fields (and that a wanted slug is free right now) before any bytes are stored,
     * so that a doomed upload fails fast. Returns the fields normalized.
     *
     * @throws InvalidInputException if a field breaks the rules
     * @throws SlugTakenException    if the wanted slug is taken
     */
    NewDrop validate(NewDrop wanted);

    /**
     * Refuses, before a byte is read, an upload whose declared length the blob store has no room for. (A body
     * of unknown length is stopped by the store itself once its reserve is reached.)
     *
     * @throws io.teledrop.storage.StorageFullException if there is no room
     */
    void requireRoom(long declaredBytes) throws IOException;

    /**
     * Stores one file: its name sanitized, its type detected from its first bytes (never the client's claim)
     * and checked against the allow and block lists before the rest is read, its size held to the file and
     * drop limits as it streams. Reads {@code content} to its end; the caller keeps ownership of it.
     *
     * @param submittedName the name the client sent, untrusted
     * @throws TooManyFilesException    if the upload already holds as many files as a drop may
     * @throws TypeNotAllowedException  if the detected type is not accepted
     * @throws DropTooLargeException    if the files together would pass the drop size limit
     * @throws io.teledrop.storage.BlobTooLargeException if the file passes the file size limit
     */
    StagedFile stage(String submittedName, InputStream content) throws IOException;

    /** How many files are staged. */
    int stagedFiles();

    /**
     * Records the staged files as a new drop. Afterwards the session takes no more files.
     *
     * @throws InvalidInputException if no file was staged or a field breaks the rules
     * @throws SlugTakenException    if another drop took the slug first
     */
    CreatedDrop createDrop(NewDrop wanted);

    /**
     * Adds the staged files to an existing drop. Concurrent additions to one drop all succeed while it has
     * room; the files-per-drop and drop-size limits hold exactly however many race for the last places.
     * Afterwards the session takes no more files.
     *
     * @throws DeleteNotAllowedException if the delete token is missing or wrong and no API key permits it
     * @throws TooManyFilesException     if the drop has no room for this many more files
     * @throws DropTooLargeException     if the drop has no room for this many more bytes
     */
    DropView addToDrop(String slug, Access access);

    /** Removes the blobs this session still owns: all of them unless a commit took them. Never throws. */
    @Override
    void close();
}
