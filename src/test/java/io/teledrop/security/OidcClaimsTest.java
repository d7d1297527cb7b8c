package io.teledrop.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import io.teledrop.config.OidcSettings;
import io.teledrop.config.Settings;
import io.teledrop.drop.Permission;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How claims become permissions and names, and which check an access token's claims fail first. */
class OidcClaimsTest {

    private static OidcProvider provider(String... keyValues) {
        Map<String, String> values = new java.util.HashMap<>(Map.of(Settings.DATA_DIR, "/srv/teledrop",
                OidcSettings.ISSUER, "https://login.example.com", OidcSettings.CLIENT_ID, "teledrop",
                OidcSettings.ADMIN_GROUP, "teledrop-admins", OidcSettings.UPLOADER_GROUP, "teledrop-uploaders"));
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        OidcProvider provider = new OidcProvider();
        provider.settings = Settings.load(key -> Optional.ofNullable(values.get(key)));
        return provider;
    }

    @Test
    void theAdminGroupGrantsEverythingAndTheUploaderGroupOnlyCreate() {
        OidcProvider provider = provider();

        assertEquals(EnumSet.allOf(Permission.class), provider.permissions(new Claims(Map.of("groups", List.of("staff", "teledrop-admins")))));
        assertEquals(Set.of(Permission.CREATE), provider.permissions(new Claims(Map.of("groups", List.of("teledrop-uploaders")))));
        assertEquals(Set.of(), provider.permissions(new Claims(Map.of("groups", List.of("Teledrop-Admins", "staff")))));
        assertEquals(Set.of(), provider.permissions(new Claims(Map.of("groups", "teledrop-admins-not"))));
        assertEquals(Set.of(), provider.permissions(new Claims(Map.of())));
    }

    @Test
    void permissionNamesInThePermissionsClaimGrantThemselves() {
        OidcProvider provider = provider(OidcSettings.PERMISSIONS_CLAIM, "resource_access.teledrop.roles");

        Claims keycloak = new Claims(Map.of("resource_access", Map.of("teledrop", Map.of("roles", List.of("read", "DELETE", "owner")))));

        assertEquals(EnumSet.of(Permission.READ, Permission.DELETE), provider.permissions(keycloak));
        assertEquals(EnumSet.allOf(Permission.class), provider.permissions(new Claims(Map.of("resource_access",
                Map.of("teledrop", Map.of("roles", List.of("admin")))))));
    }

    @Test
    void groupsAreFoundByDottedPathAndAsSpaceSeparatedText() {
        assertEquals(List.of("a", "b"), new Claims(Map.of("realm_access", Map.of("roles", List.of("a", "b")))).strings("realm_access.roles"));
        assertEquals(List.of("read", "create"), new Claims(Map.of("scope", "read create")).strings("scope"));
        assertEquals(List.of(), new Claims(Map.of("realm_access", "not an object")).strings("realm_access.roles"));
        assertEquals(List.of("x"), new Claims(Map.of("groups", List.of("x", 7, Map.of()))).strings("groups"));
    }

    @Test
    void theDisplayNameFallsBackToUsernameEmailAndSubject() {
        OidcSettings config = provider().settings.oidc().orElseThrow();

        assertEquals("Ada Lovelace", new Claims(Map.of("name", "Ada Lovelace", "email", "ada@example.com")).displayName(config, "s1"));
        assertEquals("ada", new Claims(Map.of("preferred_username", "ada", "email", "ada@example.com")).displayName(config, "s1"));
        assertEquals("ada@example.com", new Claims(Map.of("email", "ada@example.com")).displayName(config, "s1"));
        assertEquals("s1", new Claims(Map.of()).displayName(config, "s1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "issuer     , https://evil.example.com , teledrop , 600  , -60",
            "issuer     ,                          , teledrop , 600  , -60",
            "audience   , https://login.example.com, account  , 600  , -60",
            "audience   , https://login.example.com,          , 600  , -60",
            "expiry     , https://login.example.com, teledrop , -61  , -600",
            "not-before , https://login.example.com, teledrop , 600  , 61",
            "none       , https://login.example.com, teledrop , -59  , 59",
    })
    void accessTokenClaimsAreCheckedInOrderWithAMinuteOfSkew(String failing, String issuer, String audience, long expiresIn, long validIn) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("service-account").issuer(issuer)
                .expirationTime(Date.from(now.plusSeconds(expiresIn))).notBeforeTime(Date.from(now.plusSeconds(validIn)));
        if (audience != null) {
            claims.audience(List.of("other", audience));
        }
        OidcProvider.AccessTokenClaims verifier = new OidcProvider.AccessTokenClaims("https://login.example.com", "teledrop");

        if (failing.equals("none")) {
            verifier.verify(claims.build(), null);
        } else {
            OidcProvider.ClaimRefused refused = assertThrows(OidcProvider.ClaimRefused.class, () -> verifier.verify(claims.build(), null));
            assertEquals(failing, refused.check);
        }
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("s").issuer("https://login.example.com").audience("teledrop").build();

        OidcProvider.ClaimRefused refused = assertThrows(OidcProvider.ClaimRefused.class,
                () -> new OidcProvider.AccessTokenClaims("https://login.example.com", "teledrop").verify(claims, null));
        assertEquals("expiry", refused.check);
    }
}
