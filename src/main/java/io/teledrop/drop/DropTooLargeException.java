package io.teledrop.drop;

/** The files of a drop together pass {@code teledrop.upload.max-drop-size}. */
public class DropTooLargeException extends TeledropException {

    public DropTooLargeException(String limit) {
        super("A drop holds at most " + limit + " in all; these files would pass that.");
    }
}
