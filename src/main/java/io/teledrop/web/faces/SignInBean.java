package io.teledrop.web.faces;

import io.teledrop.web.Auditing;
import io.teledrop.audit.AuditEvent;
import io.teledrop.drop.Permission;
import io.teledrop.security.OidcProvider;
import io.teledrop.security.RequestAuthenticationMechanism;
import io.teledrop.security.SignedInUser;
import io.teledrop.web.Links;
import io.teledrop.web.servlet.SignInServlet;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in as pages show it: whether sign-in is offered, who is signed in, where to sign in, and sign-out
 * (a Faces form, so its view state guards it against cross-site requests), which also ends the session at
 * the identity provider (RP-initiated logout) for people signed in there.
 */
@Named("signIn")
@RequestScoped
public class SignInBean {

    @Inject
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    @Inject
    OidcProvider oidc;

    @Inject
    Links links;

    public boolean isEnabled() {
        return oidc.enabled();
    }

    /** The person signed in through the identity provider on this request, or null. */
    private SignedInUser user() {
        HttpSession session = request.getSession(false);
        return session != null && request.getUserPrincipal() != null
                && session.getAttribute(RequestAuthenticationMechanism.SIGNED_IN) instanceof SignedInUser user
                && user.subject().equals(request.getUserPrincipal().getName()) ? user : null;
    }

    public boolean isSignedIn() {
        return user() != null;
    }

    public String getName() {
        SignedInUser user = user();
        return user == null ? null : user.name();
    }

    /** Whether this request may upload while anonymous uploads are off (the uploaders' group, or an admin). */
    public boolean isMayUpload() {
        return request.isUserInRole(Permission.CREATE.role()) || request.isUserInRole(Permission.ADMIN.role());
    }

    /** The sign-in link, returning to the page it was followed from. */
    public String getUrl() {
        String page = request.getRequestURI().substring(request.getContextPath().length());
        page = page.equals("/index.xhtml") ? "/" : page;
        return request.getContextPath() + SignInServlet.SIGN_IN + "?return=" + URLEncoder.encode(page, StandardCharsets.UTF_8);
    }

    /** Ends the session here (both kinds: a sign-in and an admin key's), then at the provider when signed in there. */
    public String logout() throws IOException {
        ExternalContext context = FacesContext.getCurrentInstance().getExternalContext();
        SignedInUser user = null;
        HttpSession session = request.getSession(false);
        if (session != null) {
            if (session.getAttribute(RequestAuthenticationMechanism.SIGNED_IN) instanceof SignedInUser signedIn) {
                user = signedIn;
            }
            auditing.record(request, AuditEvent.Type.SIGN_OUT, AuditEvent.Outcome.SUCCESS, e -> e);
            session.invalidate();
        }
        ((jakarta.servlet.http.HttpServletResponse) context.getResponse()).addCookie(SignInServlet.signInCookie(request, "", 0));
        URI home = links.base(request);
        context.redirect(user == null ? home.toString() : oidc.logoutUri(user, home).orElse(home).toString());
        return null;
    }
}
