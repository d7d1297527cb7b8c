package io.teledrop.web.rest;

import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.web.FieldSuggestions;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Reads the small JSON objects the API takes (a merge patch, a password, a key request) and checks their
 * shape before any field is looked at: a body that is not JSON, not an object ({@code []}, {@code "x"},
 * {@code null}), larger than {@link #MAX_BYTES}, or carrying a key the endpoint does not know is refused
 * with 400 {@code invalid-input} naming the field ({@code body} for the body as a whole). The resources take
 * the body as a stream rather than a {@link JsonObject}, so that the JSON provider never meets a body of the
 * wrong shape (it answered 500 to {@code []}). The caller owns {@code in}; it is read but not closed.
 */
final class JsonBodies {

    /** Far more than any of the API's objects needs. */
    static final int MAX_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /** The body as a JSON object; {@code example} shows the client what to send. */
    static JsonObject object(InputStream in, String example) {
        byte[] bytes;
        try {
            bytes = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidInputException("body", "must be at most " + MAX_BYTES / 1024 + " KiB of JSON");
        }
        if (isBlank(bytes)) {
            throw new InvalidInputException("body", "is empty; send a JSON object like " + example);
        }
        JsonValue value;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            value = reader.readValue();
        } catch (JsonException e) {
            throw new InvalidInputException("body", "is not valid JSON; send a JSON object like " + example);
        }
        if (!(value instanceof JsonObject object)) {
            throw new InvalidInputException("body", "must be a JSON object like " + example + ", not " + kind(value));
        }
        return object;
    }

    /**
     * Adds an error for each key of {@code object} that is not in {@code known}, naming the known one it
     * probably meant ({@code expiry} → {@code expires}).
     */
    static void unknownKeys(JsonObject object, Set<String> known, List<FieldError> errors) {
        object.keySet().stream().filter(k -> !known.contains(k)).sorted()
                .forEach(k -> errors.add(new FieldError(k, FieldSuggestions.unknown("field", k, known))));
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
        };
    }
}
