package io.teledrop.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlobAttributesTest {

    @Test
    void aNameIsPercentEncodedAsUtf8WithSpacesAsPercent20() {
        assertEquals("annual%20report%20%E2%80%94%202026.pdf", BlobAttributes.of("application/pdf", "annual report — 2026.pdf").metadata().get("filename"));
    }

    @Test
    void aLongNameIsCutAtACharacterToFitS3sMetadataLimit() {
        String name = "日本".repeat(120) + "😀".repeat(15) + ".txt"; // 255 characters, about 2.4 KB encoded
        String encoded = BlobAttributes.of("text/plain", name).metadata().get("filename");
        assertTrue(encoded.length() <= BlobAttributes.MAX_ENCODED_NAME, encoded.length() + " bytes");
        assertTrue(encoded.length() > BlobAttributes.MAX_ENCODED_NAME - 12, "only the last character that did not fit is left out");
        String decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        assertTrue(name.startsWith(decoded), "a whole-character prefix of the name");
    }
}
