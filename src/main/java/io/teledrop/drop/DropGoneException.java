package io.teledrop.drop;

/** The drop existed but has expired; it answers 410 until the sweep removes it. */
public class DropGoneException extends TeledropException {

    public DropGoneException(String slug) {
        super("The drop '" + slug + "' has expired and its files are no longer available.");
    }
}
