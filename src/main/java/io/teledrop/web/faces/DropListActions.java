package io.teledrop.web.faces;

import jakarta.servlet.http.HttpServletRequest;
import io.teledrop.web.Auditing;
import io.teledrop.audit.AuditEvent;
import io.teledrop.drop.Access;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.TeledropException;
import io.teledrop.web.Links;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.time.Instant;

/** What the lists of drops (the admin's, and "My drops") do alike: delete with a message, a drop's link, expired or not. */
final class DropListActions {

    private DropListActions() {
    }

    /** Deletes the drop and says so; one already gone is said too, a refusal is shown as an error. */
    static void delete(DropService drops, String slug, Access access, Auditing auditing, HttpServletRequest request) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            drops.delete(slug, access);
            auditing.dropDeleted(request, slug, false, AuditEvent.Outcome.SUCCESS, null);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Deleted the drop “" + slug + "” and its files.", null));
        } catch (DropNotFoundException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "The drop “" + slug + "” was already gone.", null));
        } catch (TeledropException e) {
            auditing.dropDeleted(request, slug, false, AuditEvent.Outcome.FAILURE, e.getMessage());
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
        }
    }

    static boolean isExpired(DropView drop) {
        return drop.expiresAt() != null && drop.expiresAt().isBefore(Instant.now());
    }

    static String link(DropView drop) {
        return FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath() + "/d/" + Links.pathSegment(drop.slug());
    }
}
