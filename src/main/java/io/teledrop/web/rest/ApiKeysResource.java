package io.teledrop.web.rest;

import io.teledrop.audit.AuditEvent;
import io.teledrop.config.Lifetimes;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.web.Auditing;
import io.teledrop.drop.ApiKeyService;
import io.teledrop.drop.ApiKeyView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.IssuedApiKey;
import io.teledrop.drop.Permission;
import io.teledrop.security.RequestAccess;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Issuing, listing and revoking API keys; all of it needs an admin key (the bootstrap key is one). */
@Path("keys")
@Tag(name = "keys")
@SecurityRequirement(name = "apiKey")
@RequestScoped
public class ApiKeysResource {

    /** A key as listed: never the secret. */
    public record KeyJson(String id, String name, List<String> permissions, Instant created, Instant expires, Instant lastUsed, Instant revoked) {
    }

    /** A key just issued: the secret {@code key} appears in this answer only. */
    public record IssuedKeyJson(String key, KeyJson details) {
    }

    /** The keys a key request may have. */
    private static final Set<String> FIELDS = Set.of("name", "permissions", "expires");

    @Inject
    ApiKeyService apiKeys;

    @Inject
    Auditing auditing;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueApiKey", summary = "Issue a key: {\"name\", \"permissions\": [\"read\", …], \"expires\"?}; the key is shown once")
    @APIResponse(responseCode = "201", description = "The key and its details")
    @APIResponse(responseCode = "400", description = "Invalid fields", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response issue(@RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "KeyRequest"))) InputStream in) {
        JsonObject body = JsonBodies.object(in, "{\"name\": \"ci\", \"permissions\": [\"read\"], \"expires\": \"P90D\"}");
        List<FieldError> errors = new ArrayList<>();
        JsonBodies.unknownKeys(body, FIELDS, errors);
        String name = null;
        if (body.get("name") instanceof JsonString text) {
            name = text.getString();
        } else if (body.containsKey("name")) {
            errors.add(new FieldError("name", "must be a string"));
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        if (body.get("permissions") instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString role && Permission.fromRole(role.getString()).isPresent()) {
                    permissions.add(Permission.fromRole(role.getString()).get());
                } else {
                    errors.add(new FieldError("permissions", "unknown permission " + value + "; use read, create, update, delete or admin"));
                }
            }
        } else if (body.containsKey("permissions")) {
            errors.add(new FieldError("permissions", "must be an array of permissions, like [\"read\", \"create\"]"));
        }
        Instant expires = null;
        if (body.get("expires") instanceof JsonString text) {
            try {
                expires = Lifetimes.expiryFrom(text.getString(), Instant.now());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("expires", e.getMessage()));
            }
        } else if (body.containsKey("expires") && body.get("expires").getValueType() != JsonValue.ValueType.NULL) {
            errors.add(new FieldError("expires", "must be a string (a time or a duration like P90D) or null"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        IssuedApiKey issued;
        try {
            issued = apiKeys.issue(RequestAccess.of(request, null), name, permissions, expires);
        } catch (ApiKeyRequiredException | PermissionDeniedException e) {
            auditing.keyIssued(request, null, AuditEvent.Outcome.FAILURE, e.getMessage());
            throw e;
        }
        auditing.keyIssued(request, issued.view(), AuditEvent.Outcome.SUCCESS, null);
        return Response.status(Response.Status.CREATED).entity(new IssuedKeyJson(issued.key(), json(issued.view())))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listApiKeys", summary = "Every key, newest first, without secrets")
    @APIResponse(responseCode = "200", description = "The keys")
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public List<KeyJson> list() {
        return apiKeys.list(RequestAccess.of(request, null)).stream().map(ApiKeysResource::json).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeApiKey", summary = "Revoke a key at once")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response revoke(@PathParam("id") String id) {
        try {
            apiKeys.revoke(RequestAccess.of(request, null), id);
        } catch (ApiKeyRequiredException | PermissionDeniedException e) {
            auditing.keyRevoked(request, id, AuditEvent.Outcome.FAILURE, e.getMessage());
            throw e;
        }
        auditing.keyRevoked(request, id, AuditEvent.Outcome.SUCCESS, null);
        return Response.noContent().build();
    }

    private static KeyJson json(ApiKeyView key) {
        return new KeyJson(key.id(), key.name(), key.permissions().stream().map(Permission::role).toList(), key.createdAt(),
                key.expiresAt(), key.lastUsedAt(), key.revokedAt());
    }
}
