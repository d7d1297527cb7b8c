package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** After sign-in the browser goes back to a page of this server, never elsewhere: no open redirect. */
class SignInReturnPathTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "/admin/drops.xhtml                 | /admin/drops.xhtml",
            "/my/drops.xhtml?page=2             | /my/drops.xhtml?page=2",
            "/                                  | /",
            "                                   | /",
            "''                                 | /",
            "https://evil.example.com/          | /",
            "//evil.example.com/                | /",
            "/\\evil.example.com                | /",
            "evil.example.com                   | /",
            "javascript:alert(1)                | /",
            "/auth/signin?return=/x             | /",
            "/auth/callback                     | /",
            "'/x\r\nSet-Cookie: a=b'            | /",
            "/%2F%2Fevil.example.com            | /%2F%2Fevil.example.com",
    })
    void onlyLocalPathsAreKept(String wanted, String kept) {
        assertEquals(kept, SignInServlet.localPath(wanted));
    }
}
