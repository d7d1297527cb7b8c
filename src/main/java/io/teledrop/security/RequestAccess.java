package io.teledrop.security;

import io.teledrop.drop.Access;
import io.teledrop.drop.Permission;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;

/**
 * Turns what a request proved (the roles of its API key, access token or sign-in; who it is; its delete and
 * unlock tokens) into the domain's {@link Access}.
 */
public final class RequestAccess {

    private RequestAccess() {
    }

    public static final String UNLOCK_HEADER = "Teledrop-Unlock";

    public static Access of(HttpServletRequest request, String deleteToken) {
        return new Access(deleteToken, permissions(request), null, RequestAuthenticationMechanism.caller(request));
    }

    /** For reading one drop: also the unlock token, from the header or the drop's cookie. */
    public static Access forDrop(HttpServletRequest request, String slug, String deleteToken) {
        String unlock = request.getHeader(UNLOCK_HEADER);
        if (unlock == null && request.getCookies() != null) {
            String name = unlockCookieName(slug);
            for (Cookie cookie : request.getCookies()) {
                if (cookie.getName().equals(name)) {
                    unlock = cookie.getValue();
                }
            }
        }
        return new Access(deleteToken, permissions(request), unlock, RequestAuthenticationMechanism.caller(request));
    }

    /**
     * Who a request is, for binding what it creates to it (a presigned upload): its sign-in or access token's
     * subject, else its API key (the domain stores only a hash), else, for anonymous requests, its address.
     */
    public static String identity(HttpServletRequest request) {
        io.teledrop.drop.Caller caller = RequestAuthenticationMechanism.caller(request);
        if (caller != null) {
            return "subject:" + caller.subject();
        }
        String key = RequestAuthenticationMechanism.presentedKey(request);
        return key != null ? "key:" + key : "address:" + request.getRemoteAddr();
    }

    /** One cookie per drop, so unlocking one never opens another. */
    public static String unlockCookieName(String slug) {
        return "td_unlock_" + slug.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }

    private static EnumSet<Permission> permissions(HttpServletRequest request) {
        // Anonymous requests (most reads) are in no role: spare them a role check per permission.
        if (request.getUserPrincipal() == null) {
            return EnumSet.noneOf(Permission.class);
        }
        return Arrays.stream(Permission.values())
                .filter(p -> request.isUserInRole(p.role()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
    }
}
