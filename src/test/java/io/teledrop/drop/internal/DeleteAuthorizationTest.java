package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.DeleteNotAllowedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may delete a drop, as a table: token given / right, and whether API keys are required. */
class DeleteAuthorizationTest {

    private static final String TOKEN = DeleteTokens.newToken();
    private static final String HASH = DeleteTokens.hash(TOKEN);

    @ParameterizedTest(name = "token={0}, requireApiKey={1} -> {2}")
    @CsvSource({
            // token   , requireApiKey, outcome
            "right     , true         , allowed",
            "right     , false        , allowed",
            "wrong     , true         , forbidden",
            "wrong     , false        , forbidden",
            "missing   , true         , unauthenticated",
            "missing   , false        , allowed",
            "blank     , true         , unauthenticated",
    })
    void decides(String token, boolean requireApiKey, String outcome) {
        String given = switch (token) {
            case "right" -> TOKEN;
            case "wrong" -> DeleteTokens.newToken();
            case "blank" -> "  ";
            default -> null;
        };
        if (outcome.equals("allowed")) {
            assertDoesNotThrow(() -> DefaultDropService.authorizeOwner(given, HASH, requireApiKey));
        } else {
            DeleteNotAllowedException denied = assertThrows(DeleteNotAllowedException.class,
                    () -> DefaultDropService.authorizeOwner(given, HASH, requireApiKey));
            assertEquals(outcome.equals("forbidden"), denied.credentialsGiven());
        }
    }
}
