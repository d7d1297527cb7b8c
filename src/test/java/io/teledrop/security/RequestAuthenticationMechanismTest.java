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
class RequestAuthenticationMechanismTest {

    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> responseHeaders = new HashMap<>();
    private final List<String> written = new ArrayList<>();

    private RequestAuthenticationMechanism mechanism(CredentialValidationResult result) {
        RequestAuthenticationMechanism mechanism = new RequestAuthenticationMechanism();
        mechanism.identityStores = fake(IdentityStoreHandler.class, (name, args) -> name.equals("validate") ? result : null);
        mechanism.refusals = new RefusalWriter() {
            @Override
            public void writeUnauthorized(HttpServletRequest request, HttpServletResponse response, String detail) {
                written.add(detail);
            }

            @Override
            public void writeRefusedToken(HttpServletRequest request, HttpServletResponse response, String check, String detail) {
                written.add(check + ": " + detail);
            }

            @Override
            public void writeProviderUnavailable(HttpServletRequest request, HttpServletResponse response, String detail) {
                written.add(detail);
            }
        };
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
        assertTrue(RequestAuthenticationMechanism.refused(request));
        assertEquals("Bearer realm=\"teledrop\", error=\"invalid_token\"", responseHeaders.get("WWW-Authenticate"));
        assertEquals(List.of("The API key is not valid (revoked, expired or mistyped)."), written);
    }

    @Test
    void aRequestWithoutAKeyStaysAnonymousAndUnrefused() throws Exception {
        HttpServletRequest request = request(Map.of());

        AuthenticationStatus status = mechanism(CredentialValidationResult.INVALID_RESULT).validateRequest(request, response(), context());

        assertEquals(AuthenticationStatus.NOT_DONE, status);
        assertFalse(RequestAuthenticationMechanism.refused(request));
        assertTrue(written.isEmpty() && responseHeaders.isEmpty());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/jakarta.faces.resource/teledrop.css.xhtml", "/favicon.svg"})
    void whatABrowserFetchesBesideAPageLeavesTheSessionAlone(String path) throws Exception {
        // In a cluster the server that reads a session writes it back whole; a stylesheet served by another server
        // while the page's server was still rendering wrote an empty session over the page's view ('Page expired').
        HttpServletRequest request = fake(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getHeader" -> null;
            case "getRequestURI" -> path;
            case "getContextPath" -> "";
            default -> throw new AssertionError("the mechanism called request." + name);
        });

        AuthenticationStatus status = mechanism(CredentialValidationResult.INVALID_RESULT).validateRequest(request, response(), context());

        assertEquals(AuthenticationStatus.NOT_DONE, status);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2} -> {3}")
    @org.junit.jupiter.params.provider.CsvSource({
            "GET    ,             ,                          , true",
            "HEAD   , cross-site  ,                          , true",
            "POST   , same-origin ,                          , true",
            "POST   , same-site   ,                          , false",
            "POST   , cross-site  , http://files.example.com , false",
            "DELETE , none        ,                          , false",
            "POST   ,             , http://files.example.com , true",
            "POST   ,             , https://files.example.com, true",
            "POST   ,             , https://evil.example.com , false",
            "PATCH  ,             ,                          , false",
    })
    void aSignInCountsOutsideReadsOnlyForRequestsFromTeledropsOwnPages(String method, String site, String origin, boolean counts) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", "files.example.com");
        if (site != null) {
            headers.put("Sec-Fetch-Site", site);
        }
        if (origin != null) {
            headers.put("Origin", origin);
        }
        HttpServletRequest request = fake(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getHeader" -> headers.get((String) args[0]);
            default -> throw new AssertionError("called request." + name);
        });

        assertEquals(counts, RequestAuthenticationMechanism.fromOwnPages(request));
    }

    @Test
    void onlyCompactJwsLooksLikeAnAccessToken() {
        assertTrue(RequestAuthenticationMechanism.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        assertFalse(RequestAuthenticationMechanism.looksLikeJwt("td_0123456789abcdef"));
        assertFalse(RequestAuthenticationMechanism.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"));
        assertFalse(RequestAuthenticationMechanism.looksLikeJwt("eyJ.a.b.c.d"));
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString") ? type.getSimpleName() : answer.answer(method.getName(), args)));
    }
}
