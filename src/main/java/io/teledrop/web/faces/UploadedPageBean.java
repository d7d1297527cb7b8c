package io.teledrop.web.faces;

import io.teledrop.web.DropResponses;
import io.teledrop.web.Links;
import io.teledrop.web.UploadResults;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The result page of an upload made without JavaScript ({@code /uploaded.xhtml?r=…}): the share and delete
 * links, kept in the uploader's session by the upload servlet. Anyone else, or a later session, gets 404.
 */
@Named("uploadedPage")
@RequestScoped
public class UploadedPageBean {

    /** The current request (a CDI proxy, so it is right in every request this bean serves). */
    @Inject
    HttpServletRequest request;

    @Inject
    Links links;

    private String resultId;
    private DropResponses.UploadJson result;

    public void load() {
        ExternalContext context = FacesContext.getCurrentInstance().getExternalContext();
        result = UploadResults.find(request, resultId).orElse(null);
        context.addResponseHeader("Cache-Control", "no-store");
        if (result == null) {
            context.setResponseStatus(404);
        }
    }

    public String getResultId() {
        return resultId;
    }

    public void setResultId(String resultId) {
        this.resultId = resultId;
    }

    public String getDeletePageUrl() {
        return links.deletePage(links.base(request), result.slug(), result.deleteToken());
    }

    public DropResponses.UploadJson getResult() {
        return result;
    }
}
