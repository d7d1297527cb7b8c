package io.teledrop.web.rest;

import io.teledrop.audit.AuditEvent;
import io.teledrop.config.LogSettings;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.ops.LogLevels;
import io.teledrop.web.Auditing;
import io.teledrop.web.FieldSuggestions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET} and {@code PUT /api/admin/log-level}: the log levels in force, and changing one at runtime on every
 * server (admin only; see README, Logs and audit). A change is an audit event.
 */
@Path("admin/log-level")
@Tag(name = "admin")
@SecurityRequirement(name = "apiKey")
@RequestScoped
public class LogLevelResource {

    private static final Set<String> FIELDS = Set.of("area", "level");
    private static final String EXAMPLE = "{\"area\": \"storage\", \"level\": \"FINE\"}";

    @Inject
    LogLevels levels;

    @Inject
    Auditing auditing;

    @Context
    HttpServletRequest request;

    /** The answer to GET: every area, {@code teledrop} (all of io.teledrop) first. */
    public record LevelsJson(List<AreaJson> levels) {
    }

    /**
     * One area.
     *
     * @param level      in force
     * @param configured by configuration (teledrop.log.level.&lt;area&gt;, else teledrop.log.level)
     * @param override   set at runtime, null when none
     */
    @JsonbNillable
    @JsonbPropertyOrder({"area", "logger", "level", "configured", "override", "changedBy", "changedAt"})
    public record AreaJson(String area, String logger, String level, String configured, String override, String changedBy, Instant changedAt) {
    }

    /** The answer to PUT: the area's level before and now, and all levels. */
    @JsonbPropertyOrder({"area", "previous", "level", "levels"})
    public record ChangeJson(String area, String previous, String level, List<AreaJson> levels) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getLogLevels", summary = "The log level of all of io.teledrop (area teledrop) and of each area "
            + "(drop, storage, web, …): in force, configured, and an admin's runtime override")
    @APIResponse(responseCode = "200", description = "The levels")
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response get() {
        AdminOnly.require(request, "Log levels");
        return Response.ok(new LevelsJson(all())).header("Cache-Control", "no-store").build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setLogLevel", summary = "Set a log level on every server at runtime: {\"area\"?: \"storage\", \"level\": \"FINE\"}; "
            + "no area means all of io.teledrop; \"level\": null returns the area to its configured level")
    @APIResponse(responseCode = "200", description = "Set here; the other servers follow within 5 seconds")
    @APIResponse(responseCode = "400", description = "Not a JSON object, an unknown field, area or level", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response set(@RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "LogLevelRequest"))) InputStream in) {
        AdminOnly.require(request, "Log levels");
        JsonObject body = JsonBodies.object(in, EXAMPLE);
        List<FieldError> errors = new ArrayList<>();
        JsonBodies.unknownKeys(body, FIELDS, errors);
        String area = LogLevels.ROOT_AREA;
        List<String> areas = Stream.concat(Stream.of(LogLevels.ROOT_AREA), LogSettings.AREAS.stream()).toList();
        if (body.get("area") instanceof JsonString text) {
            area = text.getString();
            if (!LogLevels.known(area)) {
                errors.add(new FieldError("area", FieldSuggestions.unknown("area", limit(area), areas)));
            }
        } else if (body.containsKey("area") && body.get("area").getValueType() != JsonValue.ValueType.NULL) {
            errors.add(new FieldError("area", "must be a string, one of " + String.join(", ", areas)));
        }
        Level level = null;
        if (body.get("level") instanceof JsonString text) {
            level = LogSettings.parseLevel(text.getString()).orElse(null);
            if (level == null) {
                errors.add(new FieldError("level", "'" + limit(text.getString()) + "' is not a log level; use one of " + LogSettings.levelNames()
                        + ", or null for the configured level"));
            }
        } else if (!body.containsKey("level")) {
            errors.add(new FieldError("level", "is required: one of " + LogSettings.levelNames() + ", or null for the configured level"));
        } else if (body.get("level").getValueType() != JsonValue.ValueType.NULL) {
            errors.add(new FieldError("level", "must be a string, one of " + LogSettings.levelNames() + ", or null"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        LogLevels.Change change = levels.change(area, level, auditing.actor(request));
        String override = level == null ? "removed" : level.getName();
        auditing.record(request, AuditEvent.Type.LOG_LEVEL_CHANGED, AuditEvent.Outcome.SUCCESS, e -> e.withTarget("area", change.area())
                .withDetail("old", change.before().getName()).withDetail("new", change.after().getName()).withDetail("override", override));
        return Response.ok(new ChangeJson(change.area(), change.before().getName(), change.after().getName(), all()))
                .header("Cache-Control", "no-store").build();
    }

    private List<AreaJson> all() {
        return levels.levels().stream().map(l -> new AreaJson(l.area(), l.logger(), l.effective().getName(), l.configured().getName(),
                l.override().map(o -> o.level().getName()).orElse(null), l.override().map(LogLevels.Override::changedBy).orElse(null),
                l.override().map(LogLevels.Override::changedAt).orElse(null))).toList();
    }

    private static String limit(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
