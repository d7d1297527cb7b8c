package io.teledrop.web.servlet;

import io.teledrop.web.Links;

/**
 * {@code Content-Disposition} values per RFC 6266: a quoted ASCII {@code filename} for old clients and an
 * RFC 8187 {@code filename*} with the exact UTF-8 name. Quotes, backslashes, control and non-ASCII
 * characters never reach the quoted form, so no name can break or extend the header.
 */
public final class ContentDisposition {

    private ContentDisposition() {
    }

    public static String attachment(String filename) {
        return "attachment; " + parameters(filename);
    }

    public static String inline(String filename) {
        return "inline; " + parameters(filename);
    }

    private static String parameters(String filename) {
        return "filename=\"" + asciiFallback(filename) + "\"; filename*=UTF-8''" + Links.pathSegment(filename);
    }

    static String asciiFallback(String filename) {
        StringBuilder out = new StringBuilder(filename.length());
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return out.toString();
    }
}
