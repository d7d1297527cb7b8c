package io.teledrop.drop;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a request brings to prove it may act on a drop: the drop's delete token, the permissions of its
 * API key, access token or sign-in (empty when it brought none), an unlock token for a password-protected
 * drop, and who it is when a sign-in or access token said so (null otherwise): a drop's creator may manage it.
 */
public record Access(String deleteToken, Set<Permission> permissions, String unlockToken, Caller caller) {

    public Access {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    public Access(String deleteToken, Set<Permission> permissions, String unlockToken) {
        this(deleteToken, permissions, unlockToken, null);
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

    /** Whether this request comes from the drop's creator, as its sign-in or token proves. */
    public boolean isCreatorOf(String ownerSubject) {
        return caller != null && ownerSubject != null && caller.subject().equals(ownerSubject);
    }

    public boolean may(Permission permission) {
        return permissions.contains(permission) || permissions.contains(Permission.ADMIN);
    }
}
