package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may upload, with teledrop.auth.anonymous-upload on (the default) and off. */
class UploaderPolicyTest {

    /** A service configured with {@code anonymousUpload}, or with the default when it is null. */
    private static DefaultUploads service(String anonymousUpload) {
        DefaultUploads service = new DefaultUploads();
        Map<String, String> values = anonymousUpload == null ? Map.of(Settings.DATA_DIR, "/srv/teledrop")
                : Map.of(Settings.DATA_DIR, "/srv/teledrop", Settings.AUTH_ANONYMOUS_UPLOAD, anonymousUpload);
        service.settings = Settings.load(key -> Optional.ofNullable(values.get(key)));
        return service;
    }

    @Test
    void anyoneMayUploadByDefault() {
        assertDoesNotThrow(() -> service(null).checkUploader(Access.anonymous()));
    }

    @Test
    void withoutAnonymousUploadsAKeyWithCreateIsNeeded() {
        DefaultUploads closed = service("false");

        assertThrows(ApiKeyRequiredException.class, () -> closed.checkUploader(Access.anonymous()));
        assertThrows(PermissionDeniedException.class, () -> closed.checkUploader(new Access(null, Set.of(Permission.READ))));
        assertDoesNotThrow(() -> closed.checkUploader(new Access(null, Set.of(Permission.CREATE))));
        assertDoesNotThrow(() -> closed.checkUploader(new Access(null, Set.of(Permission.ADMIN))));
    }
}
