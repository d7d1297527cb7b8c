package io.teledrop.web.rest;

import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
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

    /** The answer: where the backup is and what it holds. */
    public record BackupJson(String folder, long databaseBytes, long blobs, long blobBytes) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createBackup", summary = "Write an online backup (database snapshot, blobs as hard links) into the data folder")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(responseCode = "201", description = "The backup was written")
    @APIResponse(responseCode = "401", description = "No API key")
    @APIResponse(responseCode = "403", description = "The key is not an admin key")
    @APIResponse(responseCode = "409", description = "The database is not SQLite (back PostgreSQL up with pg_dump)")
    public Response create() {
        if (!request.isUserInRole(Permission.ADMIN.role())) {
            if (request.getUserPrincipal() == null) {
                throw new ApiKeyRequiredException("A backup");
            }
            throw new PermissionDeniedException(Permission.ADMIN);
        }
        Backups.Backup backup = backups.backUp();
        return Response.status(Response.Status.CREATED)
                .entity(new BackupJson(backup.folder().toString(), backup.databaseBytes(), backup.blobs(), backup.blobBytes())).build();
    }
}
