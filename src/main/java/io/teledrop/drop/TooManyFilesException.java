package io.teledrop.drop;

/** The files of a drop would pass {@code teledrop.upload.max-files-per-drop} (413, {@code too-many-files}). */
public class TooManyFilesException extends TeledropException {

    public TooManyFilesException(int limit) {
        super("A drop holds at most " + limit + " files; these files would pass that.");
    }
}
