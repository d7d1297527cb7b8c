package io.teledrop.web.faces;

import io.teledrop.web.Auditing;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.TeledropException;
import io.teledrop.security.RequestAccess;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.time.Duration;

/**
 * "My drops" ({@code /my/drops.xhtml?page=…}): the drops the signed-in person created, newest first, each
 * to open, delete, or keep longer. The rights come from the drop's recorded creator (its subject), checked
 * by {@link DropService} as for every other caller.
 */
@Named("myDrops")
@ViewScoped
public class MyDropsBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int PAGE_SIZE = 25;
    /** What "Keep 7 days longer" adds; capped at the longest lifetime the server allows from now. */
    static final Duration EXTENSION = Duration.ofDays(7);

    @Inject
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    @Inject
    DropService drops;

    @Inject
    Formats formats;

    private int page;
    private transient DropPage result;

    public DropPage getResult() {
        if (result == null) {
            result = drops.listOwn(RequestAccess.of(request, null), Math.max(0, page), PAGE_SIZE);
        }
        return result;
    }

    public String delete(String slug) {
        DropListActions.delete(drops, slug, RequestAccess.of(request, null), auditing, request);
        result = null;
        return null;
    }

    /** Moves the expiry {@link #EXTENSION} later (from now if already past), no further than the server's maximum lifetime. */
    public String extend(String slug) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            DropView changed = drops.extend(slug, RequestAccess.of(request, null), EXTENSION);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "The drop “" + slug + "” now expires "
                    + formats.instant(changed.expiresAt()) + ".", null));
        } catch (TeledropException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
        }
        result = null;
        return null;
    }

    public boolean isExpired(DropView drop) {
        return DropListActions.isExpired(drop);
    }

    public String link(DropView drop) {
        return DropListActions.link(drop);
    }

    public boolean isHasPrevious() {
        return page > 0;
    }

    public boolean isHasNext() {
        return (long) (page + 1) * PAGE_SIZE < getResult().total();
    }

    public int getPage() {
        return page;
    }

    public void setPage(int page) {
        this.page = page;
    }
}
