package io.teledrop.web.servlet;

import io.teledrop.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Registers {@link UploadServlet} with multipart limits and a spool folder taken from configuration, which
 * an annotation's constants cannot express. The spool folder should be on the same file system as the blob
 * store so that a spooled part moves into place with a rename.
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
            throw new UncheckedIOException("Cannot create the upload spool folder " + settings.uploadTempDir()
                    + " (" + Settings.UPLOAD_TEMP_DIR + ")", e);
        }
        ServletRegistration.Dynamic upload = event.getServletContext().addServlet("upload", UploadServlet.class);
        upload.addMapping("/api/uploads", "/api/uploads/*");
        upload.setMultipartConfig(new MultipartConfigElement(settings.uploadTempDir().toString(),
                settings.maxFileSize(), UploadServlet.maxRequestBytes(settings), 0));
    }
}
