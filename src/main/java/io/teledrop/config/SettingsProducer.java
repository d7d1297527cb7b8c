package io.teledrop.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Makes {@link Settings} injectable, read from MicroProfile Config (so from server.xml variables,
 * environment variables, system properties and microprofile-config.properties, in MicroProfile's order).
 * A bad value fails the first injection, which stops the application from starting.
 */
@ApplicationScoped
public class SettingsProducer {

    private static final Logger LOG = Logger.getLogger(SettingsProducer.class.getName());

    /** Singleton, not ApplicationScoped: a record cannot be proxied, and it never changes. */
    @Produces
    @Singleton
    Settings settings(Config config) {
        try {
            return Settings.load(key -> config.getOptionalValue(key, String.class));
        } catch (ConfigurationException e) {
            // One plain line for the operator; the container's own report buries it in a stack trace.
            LOG.severe("Teledrop cannot start: " + e.getMessage());
            throw e;
        }
    }
}
