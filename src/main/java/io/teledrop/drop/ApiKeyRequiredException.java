package io.teledrop.drop;

/** A sensitive operation was asked for without an API key while the configuration demands one. */
public class ApiKeyRequiredException extends TeledropException {

    public ApiKeyRequiredException(String operation) {
        super(operation + " needs an API key (or teledrop.auth.require-api-key=false on a trusted network).");
    }
}
