package io.teledrop.web.faces;

import io.teledrop.audit.AuditEvent;
import io.teledrop.web.Auditing;
import io.teledrop.config.Lifetimes;
import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKeyService;
import io.teledrop.drop.ApiKeyView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.IssuedApiKey;
import io.teledrop.drop.Permission;
import io.teledrop.security.RequestAccess;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The admin's API keys ({@code /admin/keys.xhtml}): issue one (its secret is shown once, on the answer
 * to the form, and never kept by this bean beyond that view), list them, revoke one.
 */
@Named("adminKeys")
@ViewScoped
public class AdminKeysBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    ApiKeyService keys;

    @Inject
    Auditing auditing;

    private String name;
    private List<String> permissions = new ArrayList<>(List.of(Permission.CREATE.role()));
    private String expires;
    private transient String issuedKey;
    private String issuedName;
    private transient List<ApiKeyView> list;

    public List<ApiKeyView> getKeys() {
        if (list == null) {
            list = keys.list(access());
        }
        return list;
    }

    public String issue() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            Instant expiry = expires == null || expires.isBlank() ? null : Lifetimes.expiryFrom(expires, Instant.now());
            EnumSet<Permission> chosen = permissions.stream().map(p -> Permission.fromRole(p).orElseThrow())
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
            IssuedApiKey issued = keys.issue(access(), name, chosen, expiry);
            auditing.keyIssued(request, issued.view(), AuditEvent.Outcome.SUCCESS, null);
            issuedKey = issued.key();
            issuedName = issued.view().name();
            name = null;
            expires = null;
            list = null;
        } catch (IllegalArgumentException e) {
            faces.addMessage("issue:expires", new FacesMessage(FacesMessage.SEVERITY_ERROR, "Expiry " + e.getMessage() + ".", null));
        } catch (InvalidInputException e) {
            e.fieldErrors().forEach(error -> faces.addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, capitalized(error.field()) + " " + error.message() + ".", null)));
        }
        return null;
    }

    public String revoke(String id) {
        keys.revoke(access(), id);
        auditing.keyRevoked(request, id, AuditEvent.Outcome.SUCCESS, null);
        list = null;
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Revoked the key. It stops working at once.", null));
        return null;
    }

    public String permissionsText(ApiKeyView key) {
        return key.permissions().stream().map(Permission::role).sorted().collect(Collectors.joining(", "));
    }

    public List<String> getAllPermissions() {
        return EnumSet.allOf(Permission.class).stream().map(Permission::role).toList();
    }

    public boolean isActive(ApiKeyView key) {
        return key.revokedAt() == null && (key.expiresAt() == null || key.expiresAt().isAfter(Instant.now()));
    }

    private Access access() {
        return RequestAccess.of(request, null);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getPermissions() {
        return permissions;
    }

    public void setPermissions(List<String> permissions) {
        this.permissions = permissions;
    }

    public String getExpires() {
        return expires;
    }

    public void setExpires(String expires) {
        this.expires = expires;
    }

    public String getIssuedKey() {
        return issuedKey;
    }

    public String getIssuedName() {
        return issuedName;
    }
}
