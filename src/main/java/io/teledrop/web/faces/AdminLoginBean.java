package io.teledrop.web.faces;

import io.teledrop.web.Auditing;
import io.teledrop.audit.AuditEvent;
import io.teledrop.drop.Permission;
import io.teledrop.security.RequestAuthenticationMechanism;
import io.teledrop.security.ApiKeyCredential;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** Logs into the admin pages with an admin API key (the operator's bootstrap key or one issued with {@code admin}). */
@Named("adminLogin")
@RequestScoped
public class AdminLoginBean {

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    Auditing auditing;

    private String key;

    public String login() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext context = faces.getExternalContext();
        CredentialValidationResult result = key == null ? CredentialValidationResult.INVALID_RESULT
                : identityStores.validate(new ApiKeyCredential(key.strip()));
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            auditing.adminLogin(request, null, null, AuditEvent.Outcome.FAILURE, "the key is not valid");
            context.setResponseStatus(401);
            faces.addMessage("login:key", new FacesMessage(FacesMessage.SEVERITY_ERROR, "This key is not valid (mistyped, revoked or expired).", null));
            return null;
        }
        if (!result.getCallerGroups().contains(Permission.ADMIN.role())) {
            auditing.adminLogin(request, key.strip(), result.getCallerPrincipal().getName(), AuditEvent.Outcome.FAILURE, "not an admin key");
            context.setResponseStatus(403);
            faces.addMessage("login:key", new FacesMessage(FacesMessage.SEVERITY_ERROR, "This key is valid but not an admin key.", null));
            return null;
        }
        RequestAuthenticationMechanism.startAdminSession(request, key.strip());
        auditing.adminLogin(request, key.strip(), result.getCallerPrincipal().getName(), AuditEvent.Outcome.SUCCESS, null);
        context.redirect(request.getContextPath() + "/admin/drops.xhtml");
        return null;
    }

    public String logout() throws IOException {
        ExternalContext context = FacesContext.getCurrentInstance().getExternalContext();
        HttpSession session = request.getSession(false);
        if (session != null) {
            auditing.record(request, AuditEvent.Type.SIGN_OUT, AuditEvent.Outcome.SUCCESS, e -> e);
            session.invalidate();
        }
        context.redirect(context.getRequestContextPath() + "/admin/login.xhtml");
        return null;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
