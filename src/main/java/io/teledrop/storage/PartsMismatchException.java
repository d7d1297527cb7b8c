package io.teledrop.storage;

import java.io.IOException;

/**
 * The parts a client uploaded itself (a presigned upload) are not the ones its file needs: one is missing, or
 * has the wrong size. Nothing was completed; the client may send the parts again and complete again.
 */
public class PartsMismatchException extends IOException {

    public PartsMismatchException(String message) {
        super(message);
    }
}
