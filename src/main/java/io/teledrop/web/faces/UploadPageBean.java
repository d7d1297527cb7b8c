package io.teledrop.web.faces;

import io.teledrop.config.Settings;
import io.teledrop.web.Links;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The upload page ({@code /}): the limits and choices it offers, from configuration, so the page refuses
 * what the server would refuse before a byte is sent. The form itself posts to the upload servlet.
 */
@Named("uploadPage")
@RequestScoped
public class UploadPageBean {

    private static final List<Duration> USUAL_LIFETIMES = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    Settings settings;

    @Inject
    Formats formats;

    @Inject
    Links links;

    /** An option of the expiry list; {@code value} is what the upload servlet reads (ISO-8601 or empty). */
    public record ExpiryChoice(String value, String label, boolean selected) {
    }

    public int getMaxFiles() {
        return settings.maxFilesPerDrop();
    }

    public long getMaxFileSize() {
        return settings.maxFileSize();
    }

    public long getMaxDropSize() {
        return settings.maxDropSize();
    }

    public String getMaxFileSizeText() {
        return formats.bytes(settings.maxFileSize());
    }

    public String getMaxDropSizeText() {
        return formats.bytes(settings.maxDropSize());
    }

    public boolean isAnonymousUpload() {
        return settings.anonymousUpload();
    }

    public String getBlockedTypesText() {
        return settings.blockedTypes().isEmpty() ? "Any type of file." : "Any type of file except " + String.join(", ", settings.blockedTypes()) + ".";
    }

    public String getBase() {
        return links.base(request).toString();
    }

    /** The usual lifetimes up to the configured maximum, plus the default and the maximum themselves. */
    public List<ExpiryChoice> getExpiryChoices() {
        return expiryChoices(settings.defaultExpiry(), settings.maxExpiry(), formats);
    }

    static List<ExpiryChoice> expiryChoices(Optional<Duration> defaultExpiry, Optional<Duration> maxExpiry, Formats formats) {
        TreeSet<Duration> lifetimes = new TreeSet<>();
        for (Duration usual : USUAL_LIFETIMES) {
            if (maxExpiry.isEmpty() || usual.compareTo(maxExpiry.get()) <= 0) {
                lifetimes.add(usual);
            }
        }
        defaultExpiry.ifPresent(lifetimes::add);
        maxExpiry.ifPresent(lifetimes::add);
        List<ExpiryChoice> choices = new ArrayList<>();
        Duration selected = defaultExpiry.orElse(null);
        for (Duration lifetime : lifetimes) {
            choices.add(new ExpiryChoice(lifetime.toString(), formats.duration(lifetime), lifetime.equals(selected)));
        }
        // With no maximum, "never" is possible; it is what an empty value means only when there is no default.
        if (maxExpiry.isEmpty() && defaultExpiry.isEmpty()) {
            choices.add(new ExpiryChoice("", "Never", true));
        }
        return choices;
    }
}
