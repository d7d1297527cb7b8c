package io.teledrop.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Makes {@link Settings} injectable, read from MicroProfile Config (so from server.xml variables,
 * environment variables, system properties and microprofile-config.properties, in MicroProfile's order).
 */
@ApplicationScoped
public class SettingsProducer {

    /** Singleton, not ApplicationScoped: a record cannot be proxied, and it never changes. */
    @Produces
    @Singleton
    Settings settings(Config config) {
        return Settings.load(key -> config.getOptionalValue(key, String.class));
    }
}
