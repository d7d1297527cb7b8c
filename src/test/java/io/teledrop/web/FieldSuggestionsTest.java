package io.teledrop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldSuggestionsTest {

    private static final Set<String> FIELDS = Set.of("slug", "title", "description", "drop", "deleteToken", "expires",
            "maxDownloads", "password");
    private static final Set<String> HEADERS = Set.of("Teledrop-Slug", "Teledrop-Title", "Teledrop-Description",
            "Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password", "Teledrop-Drop", "Teledrop-Delete-Token");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "max_downloads, maxDownloads",
            "maxdownloads, maxDownloads",
            "max-downloads, maxDownloads",
            "MaxDownload, maxDownloads",
            "maxDownload, maxDownloads",
            "expiry, expires",
            "expire, expires",
            "expires_at, expires",
            "pass, password",
            "passwd, password",
            "pasword, password",
            "Password, password",
            "delete_token, deleteToken",
            "titel, title",
    })
    void namesTheFieldAClientProbablyMeant(String sent, String meant) {
        assertEquals(Optional.of(meant), FieldSuggestions.closest(sent, FIELDS));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Teledrop-Max-Download, Teledrop-Max-Downloads",
            "Teledrop-MaxDownloads, Teledrop-Max-Downloads",
            "teledrop-max_downloads, Teledrop-Max-Downloads",
            "Teledrop-Expiry, Teledrop-Expires",
            "Teledrop-Pasword, Teledrop-Password",
            "Teledrop-Pass, Teledrop-Password",
            "Teledrop-Deletetoken, Teledrop-Delete-Token",
    })
    void namesTheHeaderAClientProbablyMeant(String sent, String meant) {
        assertEquals(Optional.of(meant), FieldSuggestions.closest(sent, HEADERS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"comment", "x", "", "submit", "jakarta.faces.ViewState"})
    void suggestsNothingForNamesFarFromEveryField(String sent) {
        assertEquals(Optional.empty(), FieldSuggestions.closest(sent, FIELDS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_downloads|unknown field 'max_downloads'; did you mean 'maxDownloads'?",
            "comment|unknown field 'comment'; known are deleteToken, description, drop, expires, maxDownloads, password, slug, title",
    })
    void theMessageNamesTheFieldMeantOrListsThemAll(String sent, String message) {
        assertEquals(message, FieldSuggestions.unknown("field", sent, FIELDS));
    }

    @ParameterizedTest
    @CsvSource({"kitten, sitting, 3", "abc, abc, 0", "abc, abd, 1", "abcdef, a, 3"})
    void editDistanceStopsPastItsLimit(String a, String b, int expected) {
        assertEquals(expected, FieldSuggestions.editDistance(a, b, 2) > 2 ? 3 : FieldSuggestions.editDistance(a, b, 2));
    }
}
