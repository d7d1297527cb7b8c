package io.teledrop.web;

import io.teledrop.config.Settings;
import io.teledrop.drop.DropView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Builds the absolute links Teledrop hands out. The base is {@code teledrop.public-url} when set (behind a
 * proxy), else the scheme, host and port the request came in on.
 */
@ApplicationScoped
public class Links {

    @Inject
    Settings settings;

    public URI base(HttpServletRequest request) {
        if (settings.publicUrl().isPresent()) {
            return settings.publicUrl().get();
        }
        StringBuffer url = request.getRequestURL();
        String path = request.getRequestURI();
        int pathStart = url.indexOf(path, url.indexOf("//") + 2);
        return URI.create((pathStart < 0 ? url.toString() : url.substring(0, pathStart)) + request.getContextPath() + "/");
    }

    public String drop(URI base, String slug) {
        return base + "d/" + slug;
    }

    public String file(URI base, String slug, DropView.FileView file) {
        return base + "d/" + slug + "/" + file.id() + "/" + pathSegment(file.name());
    }

    public String zip(URI base, String slug) {
        return base + "d/" + slug + "/zip";
    }

    public String delete(URI base, String slug) {
        return base + "api/drops/" + slug;
    }

    /** The page where a browser user deletes a drop; the token rides in the query, which the access log leaves out. */
    public String deletePage(URI base, String slug, String deleteToken) {
        return base + "delete.xhtml?slug=" + pathSegment(slug) + "&token=" + pathSegment(deleteToken);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, so any name is one safe path segment. */
    public static String pathSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
