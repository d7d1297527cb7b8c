package io.teledrop.drop;

/** A piece did not match the checksum its client sent; none of it was kept (460). */
public class ChecksumMismatchException extends TeledropException {

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
