package io.teledrop.drop;

import java.time.Duration;

/** Too many wrong passwords for a drop (from this client, or from everyone); try again after {@link #retryAfter()}. */
public class TooManyAttemptsException extends TeledropException {

    private final Duration retryAfter;

    public TooManyAttemptsException(Duration retryAfter) {
        super("Too many wrong passwords; try again in " + Math.max(1, retryAfter.toSeconds()) + " seconds.");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
