package io.teledrop.config;

/** A configuration value is missing or unusable; the message names the key so an operator can fix it. */
public class ConfigurationException extends RuntimeException {

    private final String key;

    public ConfigurationException(String key, String problem) {
        super("Configuration key '" + key + "' (environment variable " + environmentName(key) + "): " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The environment variable MicroProfile Config maps to {@code key}. */
    public static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
