package io.teledrop.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuditEventTest {

    private static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    @Test
    void aLineIsOneJsonObjectWithTheFieldsInOrder() {
        AuditEvent event = new AuditEvent(Instant.parse("2026-12-02T07:00:00Z"), AuditEvent.Type.KEY_REVOKED, AuditEvent.Outcome.SUCCESS,
                "key:6f1c0e1a-5b1e-4a57-9d43-0b0d2c3b9f10", "192.0.2.7", Map.of("key", "0f7b2a4e-0000-4000-8000-000000000001"),
                "b7e1c9a0-1111-4222-8333-444455556666", "host-1/ab12cd34", Map.of());

        String line = event.toJson().toString();

        assertFalse(line.contains("\n"), line);
        JsonObject json = parse(line);
        assertEquals(List.of("time", "type", "outcome", "actor", "client", "target", "requestId", "node"), List.copyOf(json.keySet()));
        assertEquals("2026-12-02T07:00:00Z", json.getString("time"));
        assertEquals("key-revoked", json.getString("type"));
        assertEquals("success", json.getString("outcome"));
        assertEquals("key:6f1c0e1a-5b1e-4a57-9d43-0b0d2c3b9f10", json.getString("actor"));
        assertEquals("192.0.2.7", json.getString("client"));
        assertEquals("0f7b2a4e-0000-4000-8000-000000000001", json.getJsonObject("target").getString("key"));
        assertEquals("b7e1c9a0-1111-4222-8333-444455556666", json.getString("requestId"));
        assertEquals("host-1/ab12cd34", json.getString("node"));
    }

    @Test
    void absentValuesAreLeftOutAndAnUnknownActorIsAnonymous() {
        JsonObject json = parse(AuditEvent.of(AuditEvent.Type.UNLOCK_LIMITED, AuditEvent.Outcome.LIMITED, null, null)
                .withTarget("drop", "team-notes").withDetail("retryAfterSeconds", "60").toJson().toString());

        assertEquals(List.of("time", "type", "outcome", "actor", "target", "detail"), List.copyOf(json.keySet()));
        assertEquals("anonymous", json.getString("actor"));
        assertEquals("limited", json.getString("outcome"));
        assertEquals("unlock-limited", json.getString("type"));
        assertEquals("team-notes", json.getJsonObject("target").getString("drop"));
        assertEquals("60", json.getJsonObject("detail").getString("retryAfterSeconds"));
    }

    @Test
    void quotesNewlinesAndControlCharactersStayInsideTheirString() {
        String name = "ci \"deploy\"\n{\"type\":\"forged\"}\u0001";
        String line = AuditEvent.of(AuditEvent.Type.KEY_ISSUED, AuditEvent.Outcome.SUCCESS, "bootstrap-key", "::1")
                .withDetail("name", name).toJson().toString();

        assertFalse(line.contains("\n"), line);
        JsonObject json = parse(line);
        assertEquals("key-issued", json.getString("type"));
        assertEquals(name, json.getJsonObject("detail").getString("name"));
    }

    /** Whatever a caller passes by mistake, a credential never reaches the line. */
    @ParameterizedTest
    @ValueSource(strings = {
            "td_Q2hlY2tUaGlzSXNOb3RBUmVhbEtleUJ1dExvbmdFbm91Z2g",
            "Bearer td_abcdefghijkl",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl",
            "https://bucket.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc",
            "delete token 3q2-7wEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRob",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
    void credentialsAreRedactedWherever(String secret) {
        String line = AuditEvent.of(AuditEvent.Type.DROP_DELETED, AuditEvent.Outcome.FAILURE, secret, secret)
                .withTarget("drop", secret).withDetail("reason", secret).withRequestId(secret).toJson().toString();

        assertFalse(line.contains(secret), line);
        JsonObject json = parse(line);
        assertEquals(AuditEvent.REDACTED, json.getString("actor"));
        assertEquals(AuditEvent.REDACTED, json.getJsonObject("detail").getString("reason"));
        assertEquals(AuditEvent.REDACTED, json.getJsonObject("target").getString("drop"));
    }

    /** Identifiers the log must keep are not mistaken for credentials. */
    @ParameterizedTest
    @ValueSource(strings = {"key:6f1c0e1a-5b1e-4a57-9d43-0b0d2c3b9f10", "a-very-long-lowercase-slug-of-forty-five-chars-x",
            "user:248289761001", "bootstrap-key", "host.example.com/ab12cd34", "2001:db8::1"})
    void identifiersAreKept(String id) {
        assertEquals(id, parse(AuditEvent.of(AuditEvent.Type.SIGN_IN, AuditEvent.Outcome.SUCCESS, id, null).toJson().toString()).getString("actor"));
    }

    @Test
    void longValuesAreCut() {
        String reason = "x ".repeat(400);
        String written = parse(AuditEvent.of(AuditEvent.Type.SIGN_IN, AuditEvent.Outcome.FAILURE, null, null).withDetail("reason", reason)
                .toJson().toString()).getJsonObject("detail").getString("reason");
        assertEquals(AuditEvent.MAX_VALUE + 1, written.length());
        assertTrue(written.endsWith("…"));
    }
}
