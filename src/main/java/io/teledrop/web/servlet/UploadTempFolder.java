package io.teledrop.web.servlet;

import io.teledrop.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Makes the upload temp folder ({@code teledrop.upload.temp-dir}: where the S3 store spools a part before
 * sending it, and which reconciliation sweeps) when the application starts, before any upload needs it.
 */
@WebListener
public class UploadTempFolder implements ServletContextListener {

    @Inject
    Settings settings;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            Files.createDirectories(settings.uploadTempDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload temp folder " + settings.uploadTempDir()
                    + " (" + Settings.UPLOAD_TEMP_DIR + ")", e);
        }
    }
}
