package io.teledrop.web.faces;

import io.teledrop.web.Auditing;
import io.teledrop.audit.AuditEvent;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.PasswordRequiredException;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.WrongPasswordException;
import io.teledrop.security.RequestAccess;
import io.teledrop.web.Links;
import io.teledrop.web.servlet.InlinePolicy;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The drop page ({@code /d/{slug}} in a browser): the files of an open drop, the password form of a locked
 * one, or a page that says the drop is gone or never was (with 410 or 404). Holds only the slug and what
 * the page shows between requests; the drop itself is read fresh on every view.
 */
@Named("dropPage")
@ViewScoped
public class DropPageBean implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long MAX_IMAGE_PREVIEW = 25L * 1024 * 1024;
    private static final long MAX_TEXT_PREVIEW = 1024 * 1024;

    /** What the page shows. */
    public enum State { OPEN, LOCKED, NOT_FOUND, GONE }

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    @Inject
    DropService drops;

    @Inject
    Links links;

    @Inject
    Formats formats;

    private String slug;
    private State state = State.NOT_FOUND;
    private String goneReason;
    private String password;
    private transient DropView drop;

    /** Runs on the first GET (f:viewAction): reads the drop as this request may see it. */
    public void load() {
        ExternalContext context = FacesContext.getCurrentInstance().getExternalContext();
        if (slug == null || slug.isBlank()) {
            notFound(context);
            return;
        }
        try {
            Optional<DropView> found = drops.find(slug, RequestAccess.forDrop(request, slug, null));
            if (found.isEmpty()) {
                notFound(context);
                return;
            }
            drop = found.get();
            slug = drop.slug();
            state = State.OPEN;
        } catch (PasswordRequiredException e) {
            state = State.LOCKED;
        } catch (DropGoneException e) {
            state = State.GONE;
            goneReason = e.getMessage();
            context.setResponseStatus(410);
        }
        context.addResponseHeader("Cache-Control", "no-store");
    }

    private void notFound(ExternalContext context) {
        state = State.NOT_FOUND;
        context.setResponseStatus(404);
    }

    /** The password form: a right password sets the drop's unlock cookie and shows the files. */
    public String unlock() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext context = faces.getExternalContext();
        try {
            Unlocked unlocked = drops.unlock(slug, password == null ? "" : password, request.getRemoteAddr());
            Map<String, Object> cookie = new HashMap<>();
            cookie.put("path", request.getContextPath() + "/");
            cookie.put("maxAge", (int) Math.max(1, Duration.between(Instant.now(), unlocked.expires()).toSeconds()));
            cookie.put("httpOnly", true);
            cookie.put("secure", request.isSecure());
            cookie.put("SameSite", "Lax");
            context.addResponseCookie(RequestAccess.unlockCookieName(slug), unlocked.token(), cookie);
            context.redirect(request.getContextPath() + "/d/" + Links.pathSegment(slug));
        } catch (WrongPasswordException e) {
            password = null;
            context.setResponseStatus(403);
            faces.addMessage("unlock:password", new FacesMessage(FacesMessage.SEVERITY_ERROR, "That password is not right. Check it and try again.", null));
        } catch (TooManyAttemptsException e) {
            auditing.unlockLimited(request, slug, e.retryAfter());
            password = null;
            context.setResponseStatus(429);
            context.setResponseHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            faces.addMessage("unlock:password", new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "Too many wrong passwords. Wait " + formats.duration(e.retryAfter().plusSeconds(59)) + " before trying again.", null));
        } catch (DropGoneException e) {
            state = State.GONE;
            goneReason = e.getMessage();
            context.setResponseStatus(410);
        }
        return null;
    }

    public String getSlug() {
        return slug;
    }

    public void setSlug(String slug) {
        this.slug = slug;
    }

    public State getState() {
        return state;
    }

    public String getGoneReason() {
        return goneReason;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public DropView getDrop() {
        return drop;
    }

    /** Downloads left before the drop closes, or -1 when it has no limit. */
    public int getDownloadsLeft() {
        return drop == null || drop.maxDownloads() == null ? -1 : Math.max(0, drop.maxDownloads() - drop.downloadCount());
    }

    /** Previews fetch the files, which would count as downloads: none for drops with a download limit. */
    public boolean isPreviewable() {
        return drop != null && drop.maxDownloads() == null;
    }

    /**
     * How to preview a file, or null. Images and text are fetched whole, so only up to a size a page can
     * show; audio, video and PDF load piece by piece (ranges) and are previewed at any size.
     */
    public String previewKind(DropView.FileView file) {
        String kind = isPreviewable() ? InlinePolicy.previewKind(file.contentType()) : null;
        if ("image".equals(kind) && file.size() > MAX_IMAGE_PREVIEW || "frame".equals(kind) && file.contentType().startsWith("text/") && file.size() > MAX_TEXT_PREVIEW) {
            return null;
        }
        return kind;
    }

    /** The file's link, relative to the site, so it works behind any proxy. */
    public String fileUrl(DropView.FileView file) {
        return contextPath() + "/d/" + Links.pathSegment(drop.slug()) + "/" + file.id() + "/" + Links.pathSegment(file.name());
    }

    public String getZipUrl() {
        return contextPath() + "/d/" + Links.pathSegment(drop.slug()) + "/zip";
    }

    public String getShareUrl() {
        return links.drop(links.base(request), Links.pathSegment(slug));
    }

    private static String contextPath() {
        return FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath();
    }
}
