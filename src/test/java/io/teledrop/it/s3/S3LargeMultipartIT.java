package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.MultipartParser;
import io.teledrop.config.Settings;
import io.teledrop.it.Deployments;
import io.teledrop.it.LargeUploads;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 256 MiB multipart upload with the default {@code streaming} parser, on the server whose limits allow it
 * (the S3 one): nothing makes the container parse the body first (no filter, no security mechanism asking
 * for a parameter), so no file ever appears in the multipart location, and the stored bytes are the sent ones.
 */
@ExtendWith(ArquillianExtension.class)
class S3LargeMultipartIT {

    private static final long SIZE = 256L * 1024 * 1024;

    @Inject
    Settings settings;

    @Inject
    ServletContext servletContext;

    @ArquillianResource
    URL base;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(S3LargeMultipartIT.class);
    }

    @Test
    void a256MiBUploadNeverTouchesTheMultipartLocation() throws Exception {
        assertEquals(MultipartParser.STREAMING, settings.multipartParser(), "the default parser");

        LargeUploads.Result result = LargeUploads.postMultipartWatchingSpool(servletContext, base.toURI().resolve("api/uploads"), SIZE);

        assertEquals(201, result.status(), result.body());
        assertTrue(result.body().contains("\"size\":" + SIZE), result.body());
        assertTrue(result.body().contains(result.sha256()), "the stored file's SHA-256 is the sent one: " + result.body());
        assertEquals(Set.of(), result.spooled(), "nothing was spooled into the multipart location");

        // The 256 MiB object goes again: the build's disk holds S3Proxy's bucket and the 1 GiB test after this one.
        JsonObject drop = Json.createReader(new StringReader(result.body())).readObject();
        HttpResponse<Void> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.toURI().resolve("api/drops/" + drop.getString("slug")))
                .header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(204, deleted.statusCode());
    }
}
