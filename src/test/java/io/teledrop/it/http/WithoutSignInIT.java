package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With no identity provider configured (teledrop.auth.oidc.issuer unset, as on this server), sign-in does not
 * exist: no link to it, its addresses answer 404, "My drops" is not there, and a JWT in Authorization is
 * just a key that does not validate.
 */
@ExtendWith(ArquillianExtension.class)
class WithoutSignInIT {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final String SOME_JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiYXVkIjoidGVsZWRyb3AifQ.c2lnbmF0dXJl";

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void theSignInAddressesDoNotExist() {
        for (String path : new String[] {"auth/signin?return=/", "auth/callback?code=x&state=y"}) {
            HttpResponse<String> answer = client.send(client.request(path).GET().build());
            assertProblem(answer, 404, "urn:teledrop:problem:not-found");
        }
    }

    @Test
    void noPageOffersASignIn() {
        for (String path : new String[] {"", "admin/login.xhtml"}) {
            HttpResponse<String> page = client.send(client.request(path).header("Accept", BROWSER_ACCEPT).GET().build());
            assertEquals(200, page.statusCode());
            assertFalse(page.body().contains("/auth/signin"), path);
            assertFalse(page.body().contains("Sign in"), path);
        }
        HttpResponse<String> page = client.send(client.request("").header("Accept", BROWSER_ACCEPT).GET().build());
        assertFalse(page.headers().firstValue("Content-Security-Policy").orElseThrow().matches(".*form-action 'self' \\S.*"),
                "forms lead nowhere else");
    }

    @Test
    void myDropsIsNotThere() {
        assertProblem(client.send(client.request("my/drops.xhtml").GET().build()), 404, "urn:teledrop:problem:not-found");
        HttpResponse<String> page = client.send(client.request("my/drops.xhtml").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(404, page.statusCode());
    }

    @Test
    void aJwtIsAKeyThatDoesNotValidate() {
        HttpResponse<String> answer = client.send(client.request("api/drops").header("Authorization", "Bearer " + SOME_JWT).GET().build());
        assertProblem(answer, 401, "urn:teledrop:problem:authentication-required");
    }
}
