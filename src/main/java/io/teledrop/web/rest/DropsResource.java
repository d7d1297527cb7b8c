package io.teledrop.web.rest;

import io.teledrop.audit.AuditEvent;
import io.teledrop.config.Lifetimes;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.web.Auditing;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.Unlocked;
import io.teledrop.security.RequestAccess;
import io.teledrop.web.DropResponses;
import io.teledrop.web.DropResponses.DropJson;
import io.teledrop.web.DropResponses.DropListJson;
import io.teledrop.web.DropResponses.FileJson;
import io.teledrop.web.Links;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.WebApplicationException;
import io.teledrop.web.servlet.Preconditions;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Drops and their files: read, list, change, delete. Changing and deleting need the drop's delete token
 * (header {@code Teledrop-Delete-Token}) or an API key with the permission; listing all drops is a
 * sensitive operation that needs an API key with {@code read} while {@code teledrop.auth.require-api-key}.
 * <p>
 * One instance serves every request (the injected request is a proxy for the current one): the most read
 * resource should not build and inject a bean per request.
 */
@Path("drops")
@Tag(name = "drops")
@ApplicationScoped
public class DropsResource {

    static final String TOKEN_HEADER = "Teledrop-Delete-Token";
    private static final Set<String> PATCHABLE = Set.of("title", "description", "expires");
    /** The drop's other properties: known, but not changed by a patch. */
    private static final Set<String> READ_ONLY = Set.of("slug", "url", "zipUrl", "created", "maxDownloads", "downloadCount",
            "passwordProtected", "password", "totalSize", "files", "deleteToken");
    private static final Set<String> PROPERTIES = java.util.stream.Stream.concat(PATCHABLE.stream(), READ_ONLY.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Inject
    DropService drops;

    @Inject
    Links links;

    @Context
    HttpServletRequest request;

    @Inject
    Auditing auditing;

    @Inject
    DropEventStreams streams;

    @Inject
    RenderedDrops rendered;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listDrops", summary = "A page of drops, optionally only those whose slug starts with q (or prefix) or whose title contains it")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(responseCode = "200", description = "The page", content = @Content(mediaType = "application/json", schema = @Schema(ref = "DropList")))
    @APIResponse(responseCode = "400", description = "Bad page, size, sort or prefix", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public DropListJson list(@QueryParam("q") String q,
                             @QueryParam("prefix") String prefix,
                             @QueryParam("sort") @DefaultValue("-created") String sort,
                             // Documented as the integers they are, though read as text (below).
                             @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
                             @QueryParam("page") @DefaultValue("0") String pageText,
                             @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
                             @QueryParam("size") @DefaultValue("20") String sizeText) {
        // Read here rather than as int parameters: Jakarta REST answers an unparseable int with 404 and its own words.
        int page = wholeNumber("page", pageText);
        int size = wholeNumber("size", sizeText);
        DropSort order = DropSort.fromParameter(sort).orElseThrow(() -> new InvalidInputException("sort",
                "must be one of " + Arrays.stream(DropSort.values()).map(DropSort::parameter).toList()));
        String query = q != null ? q : prefix;
        DropPage result = drops.list(RequestAccess.of(request, null), query, order, page, size);
        URI base = links.base(request);
        List<DropJson> items = result.items().stream().map(d -> DropResponses.drop(links, base, d)).toList();
        boolean more = (long) (page + 1) * size < result.total();
        String next = more ? base + "api/drops?sort=" + order.parameter() + "&page=" + (page + 1) + "&size=" + size
                + (query == null ? "" : "&q=" + Links.pathSegment(query)) : null;
        return new DropListJson(items, result.page(), result.size(), result.total(), next);
    }

    @GET
    @Path("{slug}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDrop", summary = "A drop's metadata and files")
    @APIResponse(responseCode = "200", description = "The drop, with an ETag", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Drop")))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "410", description = "The drop has expired", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response get(@PathParam("slug") String slug, @Context Providers providers) {
        // Checked, unlocked and read first: a kept answer is only ever reused for the drop as it is now.
        RenderedDrops.Rendered drop = rendered.of(links.base(request), require(slug), providers);
        Response.ResponseBuilder answer = switch (Preconditions.evaluate(request.getMethod(), Preconditions.Headers.of(request), drop.etag(), null)) {
            case PROCEED -> Response.ok(drop.json(), MediaType.APPLICATION_JSON_TYPE);
            case NOT_MODIFIED -> Response.notModified();
            case PRECONDITION_FAILED -> throw new WebApplicationException(Response.Status.PRECONDITION_FAILED);
        };
        // Private: a protected drop's metadata is for whoever unlocked it; no-cache: asked again every time.
        return answer.header("ETag", drop.etag()).header("Cache-Control", "private, no-cache").build();
    }

    /**
     * A drop's events as they happen (Server-Sent Events): {@code ready} on connecting, then
     * {@code file-added}, {@code file-deleted}, {@code download}, {@code drop-deleted}, {@code drop-expired}
     * (JSON data), and a comment every 30 s. The same access rules as reading the drop apply.
     */
    @GET
    @Path("{slug}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "dropEvents", summary = "A stream of the drop's events (text/event-stream)")
    @APIResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = "text/event-stream"))
    @APIResponse(responseCode = "401", description = "The drop is protected", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public void events(@PathParam("slug") String slug, @Context SseEventSink sink, @Context Sse sse) {
        DropView drop = require(slug);
        streams.register(drop.id(), drop.slug(), sink, sse);
    }

    /** A JSON merge patch (RFC 7396) of title, description and expires; null clears a field. */
    @PATCH
    @Path("{slug}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateDrop", summary = "Change title, description or expiry (JSON merge patch)")
    @SecurityRequirement(name = "deleteToken")
    @APIResponse(responseCode = "200", description = "The drop as changed", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Drop")))
    @APIResponse(responseCode = "400", description = "Invalid fields (listed in errors)", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "No delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Wrong delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "410", description = "The drop has expired", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not a JSON merge patch", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public DropJson update(@PathParam("slug") String slug, @HeaderParam(TOKEN_HEADER) String token,
                           @RequestBody(required = true, content = {
                                   @Content(mediaType = "application/merge-patch+json", schema = @Schema(ref = "DropPatch")),
                                   @Content(mediaType = "application/json", schema = @Schema(ref = "DropPatch"))}) InputStream body) {
        JsonObject patch = JsonBodies.object(body, "{\"title\": \"...\", \"expires\": \"P7D\"}");
        List<FieldError> errors = new ArrayList<>();
        patch.keySet().stream().filter(READ_ONLY::contains).sorted()
                .forEach(k -> errors.add(new FieldError(k, "cannot be changed; only title, description and expires can")));
        JsonBodies.unknownKeys(patch, PROPERTIES, errors);
        Optional<String> title = text(patch, "title", errors);
        Optional<String> description = text(patch, "description", errors);
        Optional<Instant> expires = expiry(patch, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        DropView changed = drops.update(slug, RequestAccess.of(request, token), new DropChanges(title, description, expires));
        return DropResponses.drop(links, links.base(request), changed);
    }

    /** The token may come as a header (preferred: it stays out of logs) or as {@code ?token=} for plain links. */
    @DELETE
    @Path("{slug}")
    @Operation(operationId = "deleteDrop", summary = "Delete a drop and its files")
    @SecurityRequirement(name = "deleteToken")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Wrong delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response delete(@PathParam("slug") String slug, @HeaderParam(TOKEN_HEADER) String headerToken,
                           @QueryParam("token") String queryToken) {
        String token = headerToken != null ? headerToken : queryToken;
        try {
            drops.delete(slug, RequestAccess.of(request, token));
        } catch (DeleteNotAllowedException | PermissionDeniedException | ApiKeyRequiredException e) {
            auditing.dropDeleted(request, slug, token != null, AuditEvent.Outcome.FAILURE, e.getMessage());
            throw e;
        }
        auditing.dropDeleted(request, slug, token != null, AuditEvent.Outcome.SUCCESS, null);
        return Response.noContent().build();
    }

    @GET
    @Path("{slug}/files")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listFiles", summary = "The files of a drop")
    @APIResponse(responseCode = "200", description = "The files", content = @Content(mediaType = "application/json", schema = @Schema(ref = "StoredFileList")))
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public List<FileJson> files(@PathParam("slug") String slug) {
        return DropResponses.drop(links, links.base(request), require(slug)).files();
    }

    @GET
    @Path("{slug}/files/{fileId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getFile", summary = "One file's metadata")
    @APIResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "application/json", schema = @Schema(ref = "StoredFile")))
    @APIResponse(responseCode = "404", description = "No such drop or file", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public FileJson file(@PathParam("slug") String slug, @PathParam("fileId") String fileId) {
        return files(slug).stream().filter(f -> f.id().equals(fileId)).findFirst()
                .orElseThrow(() -> new DropNotFoundException("The file '" + fileId + "' of drop '" + slug + "'"));
    }

    @DELETE
    @Path("{slug}/files/{fileId}")
    @Operation(operationId = "deleteFile", summary = "Delete one file of a drop")
    @SecurityRequirement(name = "deleteToken")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Wrong delete token", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No such drop or file", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response deleteFile(@PathParam("slug") String slug, @PathParam("fileId") String fileId,
                               @HeaderParam(TOKEN_HEADER) String token) {
        drops.deleteFile(slug, fileId, RequestAccess.of(request, token));
        return Response.noContent().build();
    }

    private DropView require(String slug) {
        return drops.find(slug, RequestAccess.forDrop(request, slug, request.getHeader(TOKEN_HEADER)))
                .orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    /** A drop's password for an unlock token (JSON, and a cookie for browsers), valid one hour. */
    @POST
    @Path("{slug}/unlock")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "unlockDrop", summary = "Trade a protected drop's password for a token (header Teledrop-Unlock)")
    @APIResponse(responseCode = "200", description = "The token and when it expires")
    @APIResponse(responseCode = "400", description = "No password, or a body that is not {\"password\": \"...\"} (fields listed in errors)", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Wrong password", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "Too many wrong passwords; see Retry-After", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "No such drop", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response unlock(@PathParam("slug") String slug,
                           @RequestBody(required = true, content = @Content(mediaType = "application/json",
                                   schema = @Schema(ref = "Unlock"))) InputStream body) {
        JsonObject object = JsonBodies.object(body, "{\"password\": \"...\"}");
        List<FieldError> errors = new ArrayList<>();
        JsonBodies.unknownKeys(object, Set.of("password"), errors);
        String password = object.get("password") instanceof JsonString text ? text.getString() : null;
        if (password == null) {
            errors.add(new FieldError("password", object.containsKey("password") ? "must be a string" : "send {\"password\": \"...\"}"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Unlocked unlocked;
        try {
            unlocked = drops.unlock(slug, password, request.getRemoteAddr());
        } catch (TooManyAttemptsException e) {
            auditing.unlockLimited(request, slug, e.retryAfter());
            throw e;
        }
        NewCookie cookie = new NewCookie.Builder(RequestAccess.unlockCookieName(slug)).value(unlocked.token()).path("/")
                .maxAge((int) Duration.between(Instant.now(), unlocked.expires()).toSeconds()).httpOnly(true).secure(request.isSecure())
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.ok(new UnlockJson(unlocked.token(), unlocked.expires())).cookie(cookie).header("Cache-Control", "no-store").build();
    }

    /** A query parameter that must be a whole number that fits an int; the service checks its own bounds. */
    private static int wholeNumber(String field, String text) {
        String value = text.strip();
        if (!value.matches("[+-]?[0-9]{1,40}")) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        java.math.BigInteger number = new java.math.BigInteger(value);
        if (number.bitLength() > 31) {
            throw new InvalidInputException(field, "must be a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return number.intValue();
    }

    /** The answer to a right password. */
    public record UnlockJson(String token, Instant expires) {
    }


    /** Null when the patch leaves the field alone, empty when it clears it. */
    private static Optional<String> text(JsonObject patch, String field, List<FieldError> errors) {
        if (!patch.containsKey(field)) {
            return null;
        }
        JsonValue value = patch.get(field);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString string) {
            return Optional.of(string.getString());
        }
        errors.add(new FieldError(field, "must be a string or null"));
        return null;
    }

    /** {@code expires}: as {@link Lifetimes} reads it (instant, ISO duration or {@code 7d}); null clears. */
    private static Optional<Instant> expiry(JsonObject patch, List<FieldError> errors) {
        Optional<String> text = text(patch, "expires", errors);
        if (text == null || text.isEmpty()) {
            return text == null ? null : Optional.empty();
        }
        try {
            return Optional.of(Lifetimes.expiryFrom(text.get(), Instant.now()));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("expires", e.getMessage()));
            return null;
        }
    }
}
