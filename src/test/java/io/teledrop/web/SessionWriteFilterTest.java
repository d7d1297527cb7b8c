package io.teledrop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page stays in the buffer until its session is written, whatever Faces asks of the buffer; the resources Faces
 * serves pass through without the session. The fakes fail on anything else the filter calls.
 */
class SessionWriteFilterTest {

    private final List<Integer> bufferSizes = new ArrayList<>();

    private HttpServletResponse response() {
        return fake(HttpServletResponse.class, (name, args) -> switch (name) {
            case "isCommitted" -> false;
            case "setBufferSize" -> bufferSizes.add((Integer) args[0]);
            default -> throw new AssertionError("the filter called response." + name);
        });
    }

    private static HttpServletRequest request(String path) {
        return fake(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRequestURI" -> path;
            case "getContextPath" -> "";
            case "getSession" -> null;
            default -> throw new AssertionError("the filter called request." + name);
        });
    }

    @Test
    void facesCannotShrinkTheBufferThatHoldsAPageUntilItsSessionIsWritten() throws Exception {
        // What MyFaces does before it renders a view: ExternalContext.setResponseBufferSize(jakarta.faces.FACELETS_BUFFER_SIZE),
        // 1024 by default, so the page's first KiB (session cookie, stylesheet link) left before the view was saved.
        new SessionWriteFilter().doFilter(request("/admin/login.xhtml"), response(),
                (request, response) -> ((HttpServletResponse) response).setBufferSize(1024));

        assertEquals(2, bufferSizes.size(), bufferSizes.toString());
        assertTrue(bufferSizes.stream().allMatch(size -> size >= 256 * 1024), "buffer sizes asked of the container: " + bufferSizes);
    }

    @Test
    void aStylesheetPassesThroughWithoutTheSession() throws Exception {
        HttpServletResponse response = fake(HttpServletResponse.class, (name, args) -> {
            throw new AssertionError("the filter called response." + name);
        });
        List<ServletResponse> passed = new ArrayList<>();

        new SessionWriteFilter().doFilter(request("/jakarta.faces.resource/teledrop.css.xhtml"), response, (request, given) -> passed.add(given));

        assertEquals(1, passed.size());
        assertSame(response, passed.get(0));
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString") ? type.getSimpleName() : answer.answer(method.getName(), args)));
    }
}
