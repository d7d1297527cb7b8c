package io.teledrop.drop;

/** The detected content type of a file is blocked, or not on the allow-list. */
public class TypeNotAllowedException extends TeledropException {

    public TypeNotAllowedException(String name, String type) {
        super("Files of type " + type + " are not accepted here ('" + name + "').");
    }
}
