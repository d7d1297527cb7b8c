package io.teledrop.drop;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a request brings to prove it may act on a drop: the drop's delete token, the permissions of its
 * API key (empty when it sent none), and an unlock token for a password-protected drop.
 */
public record Access(String deleteToken, Set<Permission> permissions, String unlockToken) {

    public Access {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    public Access(String deleteToken, Set<Permission> permissions) {
        this(deleteToken, permissions, null);
    }

    public static Access anonymous() {
        return new Access(null, Set.of());
    }

    public static Access withToken(String deleteToken) {
        return new Access(deleteToken, Set.of());
    }

    public boolean hasApiKey() {
        return !permissions.isEmpty();
    }

    public boolean may(Permission permission) {
        return permissions.contains(permission) || permissions.contains(Permission.ADMIN);
    }
}
