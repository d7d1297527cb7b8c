package io.teledrop.it.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.MultipartParser;
import io.teledrop.config.Settings;
import io.teledrop.it.Deployments;
import io.teledrop.it.LargeUploads;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.net.URL;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who parses a multipart upload shows in the container's multipart location: with {@code streaming} (the
 * default) nothing ever appears there, with {@code container} the container spools the file there first.
 * Runs on both upload servers, so each outcome proves the watch can see the other.
 */
@ExtendWith(ArquillianExtension.class)
class MultipartSpoolIT {

    private static final int SIZE = 6 * 1024 * 1024;

    @Inject
    Settings settings;

    @Inject
    ServletContext servletContext;

    @ArquillianResource
    URL base;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(MultipartSpoolIT.class);
    }

    @Test
    void onlyTheContainerParserSpoolsParts() throws Exception {
        LargeUploads.Result result = LargeUploads.postMultipartWatchingSpool(servletContext, base.toURI().resolve("api/uploads"), SIZE);

        assertEquals(201, result.status(), result.body());
        assertTrue(result.body().contains(result.sha256()), "the stored file's SHA-256 is the sent one: " + result.body());
        if (settings.multipartParser() == MultipartParser.STREAMING) {
            assertEquals(Set.of(), result.spooled(), "streaming parts never touch the multipart location");
        } else {
            assertFalse(result.spooled().isEmpty(), "the container spools parts into the multipart location");
        }
    }
}
