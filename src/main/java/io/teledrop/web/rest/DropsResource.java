package io.teledrop.web.rest;

import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropService;
import io.teledrop.web.DropResponses;
import io.teledrop.web.DropResponses.DropJson;
import io.teledrop.web.Links;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Drops by slug: read their metadata, delete them with their delete token. */
@Path("drops/{slug}")
@RequestScoped
public class DropsResource {

    @Inject
    DropService drops;

    @Inject
    Links links;

    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public DropJson get(@PathParam("slug") String slug) {
        return drops.find(slug)
                .map(drop -> DropResponses.drop(links, links.base(request), drop))
                .orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    /** The token may come as a header (preferred: it stays out of logs) or as {@code ?token=} for plain links. */
    @DELETE
    public Response delete(@PathParam("slug") String slug,
                           @HeaderParam("Teledrop-Delete-Token") String headerToken,
                           @QueryParam("token") String queryToken) {
        drops.delete(slug, headerToken != null ? headerToken : queryToken);
        return Response.noContent().build();
    }
}
