package io.teledrop.web.rest;

import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewPresignedUpload;
import io.teledrop.drop.PresignedUpload;
import io.teledrop.drop.PresignedUploads;
import io.teledrop.drop.PresignedUploadsUnavailableException;
import io.teledrop.drop.ResumableUpload;
import io.teledrop.security.RequestAccess;
import io.teledrop.web.Links;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Presigned uploads (S3 storage only): the client asks for one presigned URL per part, {@code PUT}s the parts
 * straight to the bucket, then completes here; the server checks the object (part sizes, SHA-256 read back,
 * sniffed type) before the file appears in its drop. The same rules as every upload hold: whether an API key is
 * needed, the drop's limits and the client's quota of incomplete uploads (reserved when the URLs are handed out),
 * the allowed types. An upload belongs to the identity that created it (sign-in, access token or API key;
 * anonymous ones to their address): to anyone else it does not exist.
 */
@Path("presigned-uploads")
@Tag(name = "uploads")
@RequestScoped
public class PresignedUploadsResource {

    private static final Set<String> FIELDS = Set.of("filename", "size", "sha256", "contentType", "drop", "deleteToken", "slug", "title",
            "description");
    private static final String PROBLEM = "application/problem+json";

    @Inject
    PresignedUploads uploads;

    @Inject
    Links links;

    @Context
    HttpServletRequest request;

    /** The request body, for the API description. */
    @Schema(name = "PresignedUploadRequest", description = "A file to send straight to S3")
    public record CreateJson(
            @Schema(required = true, description = "the file's name") String filename,
            @Schema(required = true, minimum = "1", description = "its exact length in bytes") long size,
            @Schema(description = "its SHA-256 (64 hex digits), checked at completion") String sha256,
            @Schema(description = "the type the client expects, refused early if not allowed; the type that counts is sniffed from the bytes") String contentType,
            @Schema(description = "slug of an existing drop to add the file to (with deleteToken or an API key that may); else a new drop is made") String drop,
            @Schema(description = "the existing drop's delete token") String deleteToken,
            @Schema(description = "for a new drop: its slug") String slug,
            @Schema(description = "for a new drop: its title") String title,
            @Schema(description = "for a new drop: its description") String description) {
    }

    /** One part's URL: PUT exactly {@code size} bytes there. */
    public record PartJson(int number, long size, URI url) {
    }

    public record CreatedJson(String id, String url, String completeUrl, String drop, String dropUrl, String deleteToken, long size,
                              long partSize, Instant expires, List<PartJson> parts) {
    }

    public record FileJson(String id, String name, long size, String contentType, String sha256) {
    }

    public record CompletedJson(String id, String drop, String dropUrl, FileJson file) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "apiKey")
    @Operation(operationId = "createPresignedUpload", summary = "Start an upload whose parts the client PUTs straight to S3",
            description = "Answers one presigned URL per part. PUT exactly each part's bytes to its URL (any order, in parallel), then POST "
                    + "completeUrl. The URLs and the upload expire at `expires` (teledrop.upload.resumable.lifetime); an upload not "
                    + "completed by then is aborted by the sweep. Only with teledrop.storage.type=s3.")
    @APIResponse(responseCode = "201", description = "The upload, its part URLs, and where to complete it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedJson.class)))
    @APIResponse(responseCode = "400", description = "A missing or invalid field (listed in errors)", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "An API key is required", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "404", description = "Presigned uploads are not available (storage is not S3), or no such drop", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "413", description = "The file passes the file or drop size limit, or the drop has no room for another file", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The declared type is not allowed", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "Too many incomplete uploads", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    public Response create(@HeaderParam(DropsResource.TOKEN_HEADER) String tokenHeader,
                           @RequestBody(required = true, content = @Content(mediaType = "application/json",
                                   schema = @Schema(implementation = CreateJson.class))) InputStream body) throws IOException {
        if (!uploads.available()) {
            throw new PresignedUploadsUnavailableException();
        }
        JsonObject object = JsonBodies.object(body, "{\"filename\": \"film.mp4\", \"size\": 2147483648}");
        List<FieldError> errors = new ArrayList<>();
        JsonBodies.unknownKeys(object, FIELDS, errors);
        String filename = text(object, "filename", errors);
        if (filename == null && !object.containsKey("filename")) {
            errors.add(new FieldError("filename", "is required"));
        }
        long size = -1;
        if (object.get("size") instanceof JsonNumber number && number.isIntegral() && number.bigIntegerValue().bitLength() < 63) {
            size = number.longValue();
        } else {
            errors.add(new FieldError("size", object.containsKey("size") ? "must be a whole number of bytes" : "is required"));
        }
        String sha256 = text(object, "sha256", errors);
        String contentType = text(object, "contentType", errors);
        String drop = text(object, "drop", errors);
        String deleteToken = text(object, "deleteToken", errors);
        NewDrop newDrop = new NewDrop(text(object, "slug", errors), text(object, "title", errors), text(object, "description", errors));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String token = deleteToken != null ? deleteToken : tokenHeader;
        PresignedUpload created = uploads.createPresigned(new NewPresignedUpload(filename, size, sha256, contentType, newDrop, drop,
                RequestAccess.of(request, token), request.getRemoteAddr(), RequestAccess.identity(request)));
        URI base = links.base(request);
        String url = base + "api/presigned-uploads/" + created.id();
        List<PartJson> parts = new ArrayList<>(created.partUrls().size());
        for (int i = 0; i < created.partUrls().size(); i++) {
            parts.add(new PartJson(i + 1, Math.min(created.partSize(), created.size() - i * created.partSize()), created.partUrls().get(i)));
        }
        return Response.created(URI.create(url)).header("Cache-Control", "no-store")
                .entity(new CreatedJson(created.id(), url, url + "/complete", created.dropSlug(), links.drop(base, created.dropSlug()),
                        created.deleteToken(), created.size(), created.partSize(), created.expires(), parts)).build();
    }

    @POST
    @Path("{id}/complete")
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "apiKey")
    @Operation(operationId = "completePresignedUpload", summary = "Complete a presigned upload once every part is in S3",
            description = "Lists the parts in S3 (no ETags needed), completes the multipart upload, reads the object back for its SHA-256 "
                    + "and type, and adds the file to its drop. A body, if sent, is ignored. Completing again answers the same file.")
    @APIResponse(responseCode = "200", description = "The file, now in its drop",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CompletedJson.class)))
    @APIResponse(responseCode = "404", description = "No such upload of this caller's, or presigned uploads are not available", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "409", description = "Parts are missing or have the wrong size (listed in detail); the upload stays, send them and complete again", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "410", description = "The upload expired", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The file's type (sniffed from its bytes) is not allowed; the upload was removed", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "423", description = "Another request is completing it", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "460", description = "The object's SHA-256 is not the declared one; the upload was removed", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    public CompletedJson complete(@PathParam("id") String id) throws IOException {
        if (!uploads.available()) {
            throw new PresignedUploadsUnavailableException();
        }
        ResumableUpload done = uploads.completePresigned(id, RequestAccess.identity(request));
        // Completed before, and its file deleted from the drop since.
        ResumableUpload.CompletedFile file = done.file().orElseThrow(() -> new io.teledrop.drop.UploadNotFoundException(
                "The upload '" + id + "' was completed, and its file has been deleted since", true));
        return new CompletedJson(done.id(), done.dropSlug(), links.drop(links.base(request), done.dropSlug()),
                new FileJson(file.fileId(), file.name(), file.size(), file.contentType(), file.sha256()));
    }

    @DELETE
    @Path("{id}")
    @SecurityRequirement(name = "apiKey")
    @Operation(operationId = "cancelPresignedUpload", summary = "Cancel an incomplete presigned upload (its parts are aborted in S3)")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such upload of this caller's", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "409", description = "The upload is complete; delete the file instead", content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "Problem")))
    public Response cancel(@PathParam("id") String id) {
        if (!uploads.available()) {
            throw new PresignedUploadsUnavailableException();
        }
        uploads.cancelPresigned(id, RequestAccess.identity(request));
        return Response.noContent().build();
    }

    /** A string field, null when absent or JSON null; anything else is an error in {@code errors}. */
    private static String text(JsonObject object, String field, List<FieldError> errors) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        errors.add(new FieldError(field, "must be a string"));
        return null;
    }
}
