package io.teledrop.drop;

/** The drop existed but has expired or used up its downloads; it answers 410 until the sweep removes it. */
public class DropGoneException extends TeledropException {

    public DropGoneException(String slug, boolean downloadsUsedUp) {
        super(downloadsUsedUp ? "The drop '" + slug + "' has been downloaded as often as its uploader allowed."
                : "The drop '" + slug + "' has expired and its files are no longer available.");
    }
}
