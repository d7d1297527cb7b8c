package io.teledrop.security;

import io.teledrop.drop.Access;
import io.teledrop.drop.Permission;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;

/** Turns what a request proved (its API key's roles, its delete token) into the domain's {@link Access}. */
public final class RequestAccess {

    private RequestAccess() {
    }

    public static Access of(HttpServletRequest request, String deleteToken) {
        EnumSet<Permission> permissions = Arrays.stream(Permission.values())
                .filter(p -> request.isUserInRole(p.role()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
        return new Access(deleteToken, permissions);
    }
}
