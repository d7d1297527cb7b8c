package io.teledrop.web.servlet;

import java.util.Locale;
import java.util.Set;

/**
 * Which stored files a browser may show in place ({@code ?inline}) instead of saving them. Only types a
 * browser renders without running anything qualify; HTML, SVG, XML, JavaScript and everything unknown are
 * always attachments, so an upload can never run script in Teledrop's origin.
 */
public final class InlinePolicy {

    private static final Set<String> SAFE = Set.of(
            "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
            "video/mp4", "video/webm", "video/ogg",
            "audio/mpeg", "audio/ogg", "audio/wav", "audio/x-wav", "audio/flac", "audio/webm", "audio/aac", "audio/mp4",
            "application/pdf",
            "text/plain");

    private InlinePolicy() {
    }

    public static boolean isSafe(String contentType) {
        return contentType != null && SAFE.contains(baseType(contentType));
    }

    /** The Content-Type to send inline: plain text gets an explicit charset so it is never sniffed. */
    static String inlineContentType(String contentType) {
        return baseType(contentType).equals("text/plain") ? "text/plain;charset=UTF-8" : baseType(contentType);
    }

    /**
     * A CSP that lets the browser show the file and nothing else; PDF viewers refuse a sandbox. Only
     * Teledrop's own drop page may frame it (its previews).
     */
    static String contentSecurityPolicy(String contentType) {
        return baseType(contentType).equals("application/pdf") ? "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
                : "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'";
    }

    /** How the drop page previews a safe type: {@code image}, {@code video}, {@code audio} or {@code frame} (PDF, text). */
    public static String previewKind(String contentType) {
        if (!isSafe(contentType)) {
            return null;
        }
        String type = baseType(contentType);
        if (type.startsWith("image/")) {
            return "image";
        }
        if (type.startsWith("video/")) {
            return "video";
        }
        return type.startsWith("audio/") ? "audio" : "frame";
    }

    private static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
