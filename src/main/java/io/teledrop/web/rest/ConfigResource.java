package io.teledrop.web.rest;

import io.teledrop.config.SettingsCatalog;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/admin/config}: every {@code teledrop.*} setting in effect, its default and where it came from,
 * secrets masked (admin only; see README, Configuration). The list is {@link SettingsCatalog}'s, as logged at start-up.
 */
@Path("admin/config")
@Tag(name = "admin")
@RequestScoped
public class ConfigResource {

    @Inject
    Config config;

    @Context
    HttpServletRequest request;

    /** The answer: the known settings by key, then any {@code teledrop.*} name Teledrop does not know. */
    public record ConfigJson(List<SettingJson> settings) {
    }

    /**
     * One setting. Nulls are written ({@code "default": null}), so every entry has the same fields.
     *
     * @param value   in effect (the default when unset); {@code ••••••} for a secret that is set; null when none
     * @param source  {@code environment variable}, {@code system property}, {@code server.xml variable},
     *                {@code server.xml default}, {@code microprofile-config.properties}, {@code default}, …
     * @param known   false for a name Teledrop does not read (a typo?)
     */
    @JsonbNillable
    @JsonbPropertyOrder({"key", "value", "defaultValue", "changed", "source", "sourceName", "sourceOrdinal", "secret", "known"})
    public record SettingJson(String key, String value, @JsonbNillable @JsonbProperty("default") String defaultValue, boolean changed, String source,
                              String sourceName, Integer sourceOrdinal, boolean secret, boolean known) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getConfiguration", summary = "Every teledrop.* setting in effect: value, default, whether it differs, "
            + "and its source (environment variable, system property, server.xml, microprofile-config.properties, default); secrets masked")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(responseCode = "200", description = "The settings, known keys first, then unknown teledrop.* names")
    @APIResponse(responseCode = "401", description = "No API key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "403", description = "Not an admin key", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response get() {
        AdminOnly.require(request, "The configuration");
        List<SettingJson> settings = SettingsCatalog.report(config).stream()
                .map(r -> new SettingJson(r.key(), r.value(), r.defaultValue(), r.changed(), r.source().label(), r.sourceName(), r.ordinal(),
                        r.secret(), r.known()))
                .toList();
        // Paths, hosts and account names: not for caches between here and the admin.
        return Response.ok(new ConfigJson(settings)).header("Cache-Control", "no-store").build();
    }
}
