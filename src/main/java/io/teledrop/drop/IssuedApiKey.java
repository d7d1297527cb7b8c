package io.teledrop.drop;

/** A key just issued: the secret, shown this once, and its description. */
public record IssuedApiKey(String key, ApiKeyView view) {
}
