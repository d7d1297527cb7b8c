package io.teledrop.it;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;

/** The check every error path of a black-box test makes: the status and a complete RFC 9457 problem body. */
public final class Problems {

    private Problems() {
    }

    /** Asserts an {@code application/problem+json} answer of {@code status} and {@code type}, and returns it. */
    public static JsonObject assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0].strip());
        JsonObject problem = json(response);
        assertEquals(type, problem.getString("type"));
        assertEquals(status, problem.getInt("status"));
        assertTrue(problem.getString("title").length() > 0);
        assertTrue(problem.getString("detail").length() > 0);
        assertTrue(problem.getString("instance").startsWith("urn:teledrop:request:"));
        return problem;
    }
}
