package io.teledrop.security;

import io.teledrop.config.Settings;
import io.teledrop.drop.ApiKeyService;
import io.teledrop.drop.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks API keys and says which permissions (as groups, one per {@link Permission} role) they carry:
 * the operator's bootstrap key ({@code teledrop.auth.bootstrap-key}, an admin, compared in constant time)
 * and the keys issued through {@code /api/keys} (looked up by hash; revoked and expired ones fail).
 */
@ApplicationScoped
public class ApiKeyIdentityStore implements IdentityStore {

    public static final String BOOTSTRAP_CALLER = "bootstrap-admin";

    @Inject
    Settings settings;

    @Inject
    ApiKeyService apiKeys;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof ApiKeyCredential apiKey)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        boolean bootstrap = settings.bootstrapKey().isPresent() && (apiKey.key() != null
                ? constantTimeEquals(apiKey.key(), settings.bootstrapKey().get())
                : constantTimeEquals(apiKey.keyHash(), ApiKeyService.hashOf(settings.bootstrapKey().get())));
        if (bootstrap) {
            return new CredentialValidationResult(BOOTSTRAP_CALLER, roles(EnumSet.allOf(Permission.class)));
        }
        return (apiKey.key() != null ? apiKeys.authenticate(apiKey.key()) : apiKeys.authenticateHash(apiKey.keyHash()))
                .map(permissions -> new CredentialValidationResult("api-key", roles(permissions)))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }

    @Override
    public Set<ValidationType> validationTypes() {
        return EnumSet.of(ValidationType.VALIDATE, ValidationType.PROVIDE_GROUPS);
    }

    @Override
    public Set<String> getCallerGroups(CredentialValidationResult result) {
        return result.getCallerGroups();
    }

    static Set<String> roles(Set<Permission> permissions) {
        return permissions.stream().map(Permission::role).collect(Collectors.toSet());
    }

    /** Equal strings, compared in time that does not depend on where they first differ. */
    static boolean constantTimeEquals(String given, String expected) {
        byte[] a = given.getBytes(StandardCharsets.UTF_8);
        byte[] b = expected.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, b) && !Arrays.equals(a, new byte[0]);
    }
}
