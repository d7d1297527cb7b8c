package io.teledrop.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
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
        List<SettingsCatalog.Report> reports;
        try {
            reports = SettingsCatalog.report(config);
        } catch (RuntimeException e) {
            // These lines are for the operator's eyes; they must never stop the application from starting.
            LOG.log(Level.WARNING, "Cannot list the settings in effect", e);
            return;
        }
        for (SettingsCatalog.Report report : reports) {
            if (!report.known()) {
                LOG.warning(report.logLine());
            } else if (report.changed()) {
                LOG.info(report.logLine());
            }
        }
    }
}
