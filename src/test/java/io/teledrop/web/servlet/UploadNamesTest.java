package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a raw PUT's file name is read from the request URI ({@link UploadServlet#sentFileName}). */
class UploadNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/uploads/report%3B2024.pdf|report;2024.pdf",
            "/api/uploads/evil.exe%3B.txt|evil.exe;.txt",
            "/api/uploads/report;2024.pdf|report;2024.pdf",
            "/api/uploads/a%3Fb.txt|a?b.txt",
            "/api/uploads/a%25b.txt|a%b.txt",
            "/api/uploads/a+b.txt|a+b.txt",
            "/api/uploads/a%20b.txt|a b.txt",
            "/api/uploads/%E6%97%A5%E6%9C%AC.txt|日本.txt",
            "/api/uploads/dir/inner.txt|dir/inner.txt",
            "/api/uploads/|''",
            "/api/uploads|''",
    })
    void theNameIsTheRawPathAfterTheServletDecodedOnce(String uri, String expected) {
        assertEquals(expected, UploadRequests.sentFileName(uri, "", "/api/uploads"));
    }

    @ParameterizedTest
    @CsvSource({"/teledrop/api/uploads/a%3Bb.txt, /teledrop, a;b.txt"})
    void theContextPathIsLeftOut(String uri, String context, String expected) {
        assertEquals(expected, UploadRequests.sentFileName(uri, context, "/api/uploads"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/uploads/a%FFb.txt", "/api/uploads/a%C3.txt", "/api/uploads/a%ZZ.txt", "/api/uploads/a%4", "/api/uploads/a%2Fb.txt", "/api/uploads/a%5cb.txt"})
    void namesThatAreNotPercentEncodedUtf8AreRefused(String uri) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> UploadRequests.sentFileName(uri, "", "/api/uploads"));
        assertEquals("filename", e.fieldErrors().get(0).field());
    }
}
