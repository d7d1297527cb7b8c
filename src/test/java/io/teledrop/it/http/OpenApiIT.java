package io.teledrop.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /openapi describes every endpoint - servlets and REST resources - with operation ids, schemas and security. */
@ExtendWith(ArquillianExtension.class)
class OpenApiIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private JsonObject document() {
        HttpResponse<String> response = client.send(client.request("openapi?format=JSON").header("Accept", "application/json").GET().build());
        assertEquals(200, response.statusCode());
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    @Test
    void everyEndpointIsDescribedWithAnOperationId() {
        JsonObject paths = document().getJsonObject("paths");
        Map<String, Set<String>> expected = Map.ofEntries(
                Map.entry("/api/uploads", Set.of("post")),
                Map.entry("/api/uploads/{filename}", Set.of("put")),
                Map.entry("/d/{slug}", Set.of("get")),
                Map.entry("/d/{slug}/zip", Set.of("get")),
                Map.entry("/d/{slug}/qr.svg", Set.of("get")),
                Map.entry("/d/{slug}/{fileId}/{name}", Set.of("get")),
                Map.entry("/api/drops", Set.of("get")),
                Map.entry("/api/drops/{slug}", Set.of("get", "patch", "delete")),
                Map.entry("/api/drops/{slug}/files", Set.of("get")),
                Map.entry("/api/drops/{slug}/files/{fileId}", Set.of("get", "delete")),
                Map.entry("/api/drops/{slug}/unlock", Set.of("post")),
                Map.entry("/api/drops/{slug}/events", Set.of("get")),
                Map.entry("/api/keys", Set.of("get", "post")),
                Map.entry("/api/admin/backups", Set.of("post")),
                Map.entry("/api/admin/config", Set.of("get")),
                Map.entry("/api/admin/log-level", Set.of("get", "put")),
                Map.entry("/api/presigned-uploads", Set.of("post")),
                Map.entry("/api/presigned-uploads/{id}", Set.of("delete")),
                Map.entry("/api/presigned-uploads/{id}/complete", Set.of("post")),
                Map.entry("/api/keys/{id}", Set.of("delete")));
        assertEquals(expected.keySet(), paths.keySet());
        expected.forEach((path, methods) -> {
            for (String method : methods) {
                JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
                assertTrue(operation != null && operation.containsKey("operationId"), path + " " + method);
                assertTrue(operation.getJsonObject("responses").size() >= 2, path + " " + method + " documents its errors");
            }
        });
    }

    @Test
    void schemasAndSecuritySchemesArePresent() {
        JsonObject components = document().getJsonObject("components");

        for (String schema : List.of("Problem", "FieldError", "Drop", "DropList", "DropPatch", "StoredFile", "UploadResult")) {
            assertTrue(components.getJsonObject("schemas").containsKey(schema), schema);
        }
        assertEquals(Set.of("deleteToken", "apiKey"), components.getJsonObject("securitySchemes").keySet());
        String problemRef = document().getJsonObject("paths").getJsonObject("/api/drops/{slug}").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("404").getJsonObject("content")
                .getJsonObject("application/problem+json").getJsonObject("schema").getString("$ref");
        assertEquals("#/components/schemas/Problem", problemRef);
    }

    @Test
    void theUserInterfaceIsServed() {
        HttpResponse<String> ui = client.send(client.request("openapi/ui/").GET().build());

        assertEquals(200, ui.statusCode());
        assertTrue(ui.body().contains("<html") || ui.body().contains("<!DOCTYPE"), ui.body());
    }
}
