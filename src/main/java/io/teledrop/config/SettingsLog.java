package io.teledrop.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * At start-up, one line per setting that differs from its default ({@code Setting teledrop.x = value (from system
 * property)}), secrets masked: what this server runs with, in its log. A {@code teledrop.*} name Teledrop does not
 * know is a warning, since it does nothing. The lines are {@link SettingsCatalog}'s report, as
 * {@code GET /api/admin/config} shows it.
 */
@ApplicationScoped
public class SettingsLog {

    private static final Logger LOG = Logger.getLogger(SettingsLog.class.getName());

    @Inject
    Config config;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        for (SettingsCatalog.Report report : SettingsCatalog.report(config)) {
            if (!report.known()) {
                LOG.warning(report.logLine());
            } else if (report.changed()) {
                LOG.info(report.logLine());
            }
        }
    }
}
