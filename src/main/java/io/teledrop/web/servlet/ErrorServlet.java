package io.teledrop.web.servlet;

import io.teledrop.web.Problem;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's error page (web.xml): turns an error the container raised or sent with
 * {@code sendError} into a problem answer, so clients never see the container's own page and stack trace.
 */
@WebServlet("/error")
public class ErrorServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_NOT_FOUND;
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String instance = RequestIdFilter.instance(request);
        Problem problem;
        if (error != null && status >= 500) {
            problem = Problems.of(error, instance);
        } else {
            Kind kind = Kind.forStatus(status);
            problem = new Problem(kind.type(), kind.title(), status, detail(status), instance, null);
        }
        Problems.send(request, response, problem, error);
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood (for example, a URL with characters that are not allowed).";
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not accept that method.";
            default -> "The request failed with status " + status + ".";
        };
    }
}
