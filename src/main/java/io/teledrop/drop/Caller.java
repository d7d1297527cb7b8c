package io.teledrop.drop;

import java.util.Objects;

/**
 * Who made a request, when a sign-in or token proved it: the identity provider's subject (stable, never
 * reused, so a drop is bound to it and not to a name) and a display name for pages. Drops record their
 * creator as one, and a caller may manage the drops it created.
 */
public record Caller(String subject, String name) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        name = name == null || name.isBlank() ? subject : name;
    }
}
