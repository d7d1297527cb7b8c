package io.teledrop.web.rest;

import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import jakarta.servlet.http.HttpServletRequest;

/** The check of the admin-only endpoints (backups, configuration, log levels): 401 without a key, 403 with another key. */
final class AdminOnly {

    private AdminOnly() {
    }

    /** Returns if the caller holds the admin permission; {@code subject} names what was asked for in the 401. */
    static void require(HttpServletRequest request, String subject) {
        if (request.isUserInRole(Permission.ADMIN.role())) {
            return;
        }
        if (request.getUserPrincipal() == null) {
            throw new ApiKeyRequiredException(subject);
        }
        throw new PermissionDeniedException(Permission.ADMIN);
    }
}
