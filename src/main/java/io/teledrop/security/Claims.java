package io.teledrop.security;

import io.teledrop.config.OidcSettings;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a token's claims by name or dotted path ({@code realm_access.roles}, {@code resource_access.teledrop.roles}),
 * as providers nest them differently: Entra ID puts groups and app roles at the top, Keycloak under objects.
 */
record Claims(Map<String, Object> claims) {

    /** The strings at {@code path}: a list's strings, or a single string's space-separated words (as in {@code scope}). */
    List<String> strings(String path) {
        Object value = claims;
        for (String name : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of();
            }
            value = map.get(name);
        }
        if (value instanceof Collection<?> items) {
            return items.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        if (value instanceof String text) {
            return List.of(text.strip().split("\\s+"));
        }
        return List.of();
    }

    private String first(String path) {
        List<String> values = strings(path);
        return values.isEmpty() ? null : String.join(" ", values);
    }

    /** The configured name claim, else {@code preferred_username}, {@code email}, then the subject. */
    String displayName(OidcSettings config, String subject) {
        for (String path : List.of(config.nameClaim(), "preferred_username", "email")) {
            String name = first(path);
            if (name != null && !name.isBlank()) {
                return name.length() > 200 ? name.substring(0, 200) : name;
            }
        }
        return subject;
    }
}
