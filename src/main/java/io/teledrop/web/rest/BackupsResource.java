package io.teledrop.web.rest;

import io.teledrop.ops.Backups;
import io.teledrop.ops.ScheduledBackups;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/admin/backups}: an online backup into the data folder (admin only; see README, Backup and restore). */
@Path("admin/backups")
@Tag(name = "admin")
@RequestScoped
public class BackupsResource {

    @Inject
    ScheduledBackups backups;

    @Context
    HttpServletRequest request;

    /**
     * The answer: the backup's name, where it is (a folder, or an {@code s3://} URL with S3 storage), its database
     * file ({@code teledrop.db} or {@code teledrop.pgdump}) and that file's size, the blobs it links, and the older
     * backups retention removed.
     */
    public record BackupJson(String name, String location, String databaseFile, long databaseBytes, long blobs, long blobBytes, List<String> pruned) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createBackup", summary = "Write an online backup (SQLite copy or pg_dump, blobs as hard links) into the data folder, or the bucket with S3 storage")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(responseCode = "201", description = "The backup was written")
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "409", description = "A backup is being written on this server already, or the database is neither SQLite nor PostgreSQL",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response create() {
        AdminOnly.require(request, "A backup");
        Backups.Backup backup = backups.backUp();
        return Response.status(Response.Status.CREATED)
                .entity(new BackupJson(backup.name(), backup.location(), backup.databaseFile(), backup.databaseBytes(), backup.blobs(), backup.blobBytes(),
                        backup.pruned())).build();
    }
}
