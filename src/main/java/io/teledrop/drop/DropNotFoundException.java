package io.teledrop.drop;

/** No drop (or no file in it) has the requested identity. */
public class DropNotFoundException extends TeledropException {

    public DropNotFoundException(String what) {
        super(what + " does not exist.");
    }
}
