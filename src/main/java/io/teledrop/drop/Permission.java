package io.teledrop.drop;

import java.util.Locale;
import java.util.Optional;

/** What an API key lets its holder do. {@link #ADMIN} includes every other permission. */
public enum Permission {
    READ, CREATE, UPDATE, DELETE, ADMIN;

    /** The role name used with Jakarta Security ({@code read}, {@code admin}, …). */
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Permission> fromRole(String role) {
        for (Permission permission : values()) {
            if (permission.role().equals(role)) {
                return Optional.of(permission);
            }
        }
        return Optional.empty();
    }
}
