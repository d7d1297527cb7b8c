package io.teledrop.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}; uploads there are served by a servlet (see UploadServlet). */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
