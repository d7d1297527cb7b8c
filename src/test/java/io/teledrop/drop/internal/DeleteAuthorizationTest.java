package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.Access;
import io.teledrop.drop.Caller;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may change or delete a drop, as a table: token, API key permissions, who is signed in (the drop's
 * creator, someone else, nobody), and whether keys are required.
 */
class DeleteAuthorizationTest {

    private static final String TOKEN = DeleteTokens.newToken();
    private static final String HASH = DeleteTokens.hash(TOKEN);
    private static final Caller CREATOR = new Caller("subject-of-the-creator", "Ada");

    @ParameterizedTest(name = "token={0}, key={1}, requireApiKey={2}, signed in={3} -> {4}")
    @CsvSource({
            // token , key permission , requireApiKey , signed in , outcome
            "right   , none           , true          , nobody    , allowed",
            "right   , none           , false         , nobody    , allowed",
            "wrong   , none           , true          , nobody    , forbidden",
            "wrong   , none           , false         , nobody    , forbidden",
            "missing , none           , true          , nobody    , unauthenticated",
            "missing , none           , false         , nobody    , allowed",
            "blank   , none           , true          , nobody    , unauthenticated",
            "missing , DELETE         , true          , nobody    , allowed",
            "missing , ADMIN          , true          , nobody    , allowed",
            "wrong   , DELETE         , true          , nobody    , allowed",
            "missing , READ           , true          , nobody    , no-permission",
            "missing , READ           , false         , nobody    , no-permission",
            "right   , READ           , true          , nobody    , allowed",
            "missing , none           , true          , creator   , allowed",
            "missing , none           , false         , creator   , allowed",
            "wrong   , none           , true          , creator   , allowed",
            "missing , READ           , true          , creator   , allowed",
            "missing , none           , true          , other     , unauthenticated",
            "missing , none           , false         , other     , allowed",
            "wrong   , none           , true          , other     , forbidden",
            "missing , READ           , true          , other     , no-permission",
    })
    void decides(String token, String key, boolean requireApiKey, String signedIn, String outcome) {
        String given = switch (token) {
            case "right" -> TOKEN;
            case "wrong" -> DeleteTokens.newToken();
            case "blank" -> "  ";
            default -> null;
        };
        Caller caller = switch (signedIn) {
            case "creator" -> new Caller(CREATOR.subject(), "Ada again");
            case "other" -> new Caller("subject-of-someone-else", CREATOR.name());
            default -> null;
        };
        Access access = new Access(given, key.equals("none") ? Set.of() : Set.of(Permission.valueOf(key)), null, caller);
        Drop drop = new Drop("slug1234", null, null, Instant.now(), HASH);
        drop.setOwner(CREATOR);
        switch (outcome) {
            case "allowed" -> assertDoesNotThrow(() -> DropAccessPolicy.authorize(access, drop, requireApiKey, Permission.DELETE));
            case "no-permission" -> assertThrows(PermissionDeniedException.class,
                    () -> DropAccessPolicy.authorize(access, drop, requireApiKey, Permission.DELETE));
            default -> {
                DeleteNotAllowedException denied = assertThrows(DeleteNotAllowedException.class,
                        () -> DropAccessPolicy.authorize(access, drop, requireApiKey, Permission.DELETE));
                assertEquals(outcome.equals("forbidden"), denied.credentialsGiven());
            }
        }
    }
}
