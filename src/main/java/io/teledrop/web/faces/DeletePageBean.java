package io.teledrop.web.faces;

import jakarta.servlet.http.HttpServletRequest;
import io.teledrop.web.Auditing;
import io.teledrop.audit.AuditEvent;
import io.teledrop.drop.Access;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Optional;

/**
 * The delete link's page ({@code /delete.xhtml?slug=…&token=…}). Opening it deletes nothing (link previews
 * and scanners open links too); the button does, with the token from the link.
 */
@Named("deletePage")
@ViewScoped
public class DeletePageBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What the page shows. */
    public enum State { CONFIRM, DELETED, NOT_FOUND }

    @Inject
    DropService drops;

    /** The current request (a CDI proxy), for the audit log. */
    @Inject
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    private String slug;
    private String token;
    private State state = State.NOT_FOUND;
    private String title;
    private int fileCount;

    public void load() {
        ExternalContext context = FacesContext.getCurrentInstance().getExternalContext();
        context.addResponseHeader("Cache-Control", "no-store");
        Optional<DropView> drop = Optional.empty();
        if (slug != null && !slug.isBlank()) {
            try {
                drop = drops.find(slug);
            } catch (DropGoneException e) {
                // Expired drops can still be deleted now rather than at the next sweep.
                state = State.CONFIRM;
                return;
            }
        }
        if (drop.isEmpty()) {
            state = State.NOT_FOUND;
            context.setResponseStatus(404);
            return;
        }
        slug = drop.get().slug();
        title = drop.get().title();
        fileCount = drop.get().files().size();
        state = State.CONFIRM;
    }

    public String delete() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            drops.delete(slug, Access.withToken(token));
            auditing.dropDeleted(request, slug, true, AuditEvent.Outcome.SUCCESS, null);
            state = State.DELETED;
        } catch (DropNotFoundException e) {
            state = State.DELETED;
        } catch (DeleteNotAllowedException e) {
            auditing.dropDeleted(request, slug, true, AuditEvent.Outcome.FAILURE, e.getMessage());
            faces.getExternalContext().setResponseStatus(403);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "This delete link does not belong to this drop: it may have been copied incompletely.", null));
        }
        return null;
    }

    public String getSlug() {
        return slug;
    }

    public void setSlug(String slug) {
        this.slug = slug;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public State getState() {
        return state;
    }

    public String getTitle() {
        return title;
    }

    public int getFileCount() {
        return fileCount;
    }
}
