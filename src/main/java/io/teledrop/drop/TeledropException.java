package io.teledrop.drop;

/**
 * Root of the errors the domain reports to its callers. Each subclass is one kind of problem that the web
 * layer answers with its own status and problem type; the message is safe to show to the client.
 */
public abstract class TeledropException extends RuntimeException {

    protected TeledropException(String message) {
        super(message);
    }
}
