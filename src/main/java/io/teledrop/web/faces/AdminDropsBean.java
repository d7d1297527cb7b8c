package io.teledrop.web.faces;

import io.teledrop.web.Auditing;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.security.RequestAccess;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;

/**
 * The admin's list of drops ({@code /admin/drops.xhtml?q=…&sort=…&page=…}): search by slug or title, page
 * through, delete. The search is a GET form, so a result page can be bookmarked and reloaded.
 */
@Named("adminDrops")
@ViewScoped
public class AdminDropsBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int PAGE_SIZE = 25;

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    @Inject
    DropService drops;

    private String query;
    private String sort;
    private int page;
    private transient DropPage result;

    public DropPage getResult() {
        if (result == null) {
            DropSort order = DropSort.fromParameter(sort).orElse(DropSort.CREATED_DESC);
            result = drops.list(RequestAccess.of(request, null), query == null ? null : query.strip(), order, Math.max(0, page), PAGE_SIZE);
        }
        return result;
    }

    public String delete(String slug) {
        DropListActions.delete(drops, slug, RequestAccess.of(request, null), auditing, request);
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

    public long getFirstShown() {
        return getResult().items().isEmpty() ? 0 : (long) page * PAGE_SIZE + 1;
    }

    public long getLastShown() {
        return (long) page * PAGE_SIZE + getResult().items().size();
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public String getSort() {
        return sort;
    }

    public void setSort(String sort) {
        this.sort = sort;
    }

    public int getPage() {
        return page;
    }

    public void setPage(int page) {
        this.page = page;
    }
}
