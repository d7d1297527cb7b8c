package io.teledrop.web.rest;

import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.web.Json;
import io.teledrop.web.Problem;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every error of the REST API leaves as {@code application/problem+json}, the same types the servlets use. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable error) {
        String instance = RequestIdFilter.instance(request);
        Problem problem;
        if (error instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            Kind kind = Kind.forStatus(status);
            problem = new Problem(kind.type(), kind.title(), status, status >= 500 ? Problems.of(error, instance).detail() : detail(web, status), instance, null);
        } else {
            problem = Problems.of(error, instance);
        }
        Problems.log(problem, error);
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(Json.JSONB.toJson(problem));
        if (problem.type().equals(Kind.PASSWORD_REQUIRED.type())) {
            response.header("WWW-Authenticate", "Teledrop-Unlock realm=\"drop\"");
        } else if (problem.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"teledrop\"");
        }
        if (error instanceof WebApplicationException web && web.getResponse().getHeaderString("Allow") != null) {
            // RFC 9110 §15.5.6: a 405 names the methods the resource has.
            response.header("Allow", web.getResponse().getHeaderString("Allow"));
        }
        if (problem.status() == 503) {
            response.header("Retry-After", Problems.RETRY_AFTER_SECONDS);
        }
        if (error instanceof TooManyAttemptsException tooMany) {
            response.header("Retry-After", Math.max(1, (tooMany.retryAfter().toMillis() + 999) / 1000));
        }
        return response.build();
    }

    /**
     * Teledrop's own words for the errors Jakarta REST raises itself (no such resource, method or media type),
     * instead of the implementation's message ({@code RESTEASY003650: …}), which names internals.
     */
    private String detail(WebApplicationException error, int status) {
        String method = request.getMethod();
        return switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> {
                String allow = error.getResponse().getHeaderString("Allow");
                yield "This address does not accept " + method + (allow != null ? "; it accepts " + allow + "." : ".");
            }
            case 406 -> "None of the media types in Accept can be produced here; ask for application/json.";
            case 415 -> request.getContentType() == null ? "The request needs a body with its Content-Type (application/json)."
                    : "This address does not take a body of type " + request.getContentType() + "; see /openapi for the types it takes.";
            case 412 -> "The resource does not match the request's If-Match or If-Unmodified-Since.";
            default -> "The request could not be understood (" + status + ").";
        };
    }
}
