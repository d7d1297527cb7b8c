package io.teledrop.web.servlet;

import io.teledrop.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Registers {@link UploadServlet} and makes the upload temp folder (where the S3 store spools a part before
 * sending it, and which reconciliation sweeps). The servlet has no multipart config on purpose: it parses
 * multipart bodies itself as they stream, and without one the container never spools a part, not even
 * when something asks for a request parameter.
 */
@WebListener
public class UploadServletRegistration implements ServletContextListener {

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
        ServletRegistration.Dynamic upload = event.getServletContext().addServlet("upload", UploadServlet.class);
        upload.addMapping("/api/uploads", "/api/uploads/*");
    }
}
