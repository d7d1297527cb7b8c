package io.teledrop.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key that does not validate is refused by the mechanism itself: answered (401 with an invalid_token
 * challenge) and marked refused, from headers alone. The fakes fail on anything the mechanism must not touch,
 * above all request parameters, which would make the container parse a multipart upload's body.
 */
class ApiKeyAuthenticationMechanismTest {

    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> responseHeaders = new HashMap<>();
    private final List<String> written = new ArrayList<>();

    private ApiKeyAuthenticationMechanism mechanism(CredentialValidationResult result) {
        ApiKeyAuthenticationMechanism mechanism = new ApiKeyAuthenticationMechanism();
        mechanism.identityStores = fake(IdentityStoreHandler.class, (name, args) -> name.equals("validate") ? result : null);
        mechanism.refusals = (request, response, detail) -> written.add(detail);
        return mechanism;
    }

    private HttpServletRequest request(Map<String, String> headers) {
        return fake(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getHeader" -> headers.get((String) args[0]);
            case "getAttribute" -> attributes.get((String) args[0]);
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getSession" -> null;
            case "getRequestURI" -> "/api/drops";
            case "getContextPath" -> "";
            default -> throw new AssertionError("the mechanism called request." + name);
        });
    }

    private HttpServletResponse response() {
        return fake(HttpServletResponse.class, (name, args) -> switch (name) {
            case "setHeader" -> responseHeaders.put((String) args[0], (String) args[1]);
            default -> throw new AssertionError("the mechanism called response." + name);
        });
    }

    private static HttpMessageContext context() {
        return fake(HttpMessageContext.class, (name, args) -> switch (name) {
            case "doNothing" -> AuthenticationStatus.NOT_DONE;
            default -> throw new AssertionError("the mechanism called context." + name);
        });
    }

    @Test
    void aKeyThatDoesNotValidateIsAnsweredAndMarkedRefused() throws Exception {
        HttpServletRequest request = request(Map.of("Authorization", "Bearer not-the-key"));

        AuthenticationStatus status = mechanism(CredentialValidationResult.INVALID_RESULT).validateRequest(request, response(), context());

        assertEquals(AuthenticationStatus.SEND_FAILURE, status);
        assertTrue(ApiKeyAuthenticationMechanism.refused(request));
        assertEquals("Bearer realm=\"teledrop\", error=\"invalid_token\"", responseHeaders.get("WWW-Authenticate"));
        assertEquals(List.of("The API key is not valid (revoked, expired or mistyped)."), written);
    }

    @Test
    void aRequestWithoutAKeyStaysAnonymousAndUnrefused() throws Exception {
        HttpServletRequest request = request(Map.of());

        AuthenticationStatus status = mechanism(CredentialValidationResult.INVALID_RESULT).validateRequest(request, response(), context());

        assertEquals(AuthenticationStatus.NOT_DONE, status);
        assertFalse(ApiKeyAuthenticationMechanism.refused(request));
        assertTrue(written.isEmpty() && responseHeaders.isEmpty());
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString") ? type.getSimpleName() : answer.answer(method.getName(), args)));
    }
}
