package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.Access;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may change or delete a drop, as a table: token, API key permissions, and whether keys are required. */
class DeleteAuthorizationTest {

    private static final String TOKEN = DeleteTokens.newToken();
    private static final String HASH = DeleteTokens.hash(TOKEN);

    @ParameterizedTest(name = "token={0}, key={1}, requireApiKey={2} -> {3}")
    @CsvSource({
            // token , key permission , requireApiKey , outcome
            "right   , none           , true          , allowed",
            "right   , none           , false         , allowed",
            "wrong   , none           , true          , forbidden",
            "wrong   , none           , false         , forbidden",
            "missing , none           , true          , unauthenticated",
            "missing , none           , false         , allowed",
            "blank   , none           , true          , unauthenticated",
            "missing , DELETE         , true          , allowed",
            "missing , ADMIN          , true          , allowed",
            "wrong   , DELETE         , true          , allowed",
            "missing , READ           , true          , no-permission",
            "missing , READ           , false         , no-permission",
            "right   , READ           , true          , allowed",
    })
    void decides(String token, String key, boolean requireApiKey, String outcome) {
        String given = switch (token) {
            case "right" -> TOKEN;
            case "wrong" -> DeleteTokens.newToken();
            case "blank" -> "  ";
            default -> null;
        };
        Access access = new Access(given, key.equals("none") ? Set.of() : Set.of(Permission.valueOf(key)));
        switch (outcome) {
            case "allowed" -> assertDoesNotThrow(() -> DropAccessPolicy.authorize(access, HASH, requireApiKey, Permission.DELETE));
            case "no-permission" -> assertThrows(PermissionDeniedException.class,
                    () -> DropAccessPolicy.authorize(access, HASH, requireApiKey, Permission.DELETE));
            default -> {
                DeleteNotAllowedException denied = assertThrows(DeleteNotAllowedException.class,
                        () -> DropAccessPolicy.authorize(access, HASH, requireApiKey, Permission.DELETE));
                assertEquals(outcome.equals("forbidden"), denied.credentialsGiven());
            }
        }
    }
}
