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
            problem = new Problem(kind.type(), kind.title(), status, status >= 500 ? Problems.of(error, instance).detail() : error.getMessage(), instance, null);
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
        if (error instanceof TooManyAttemptsException tooMany) {
            response.header("Retry-After", Math.max(1, (tooMany.retryAfter().toMillis() + 999) / 1000));
        }
        return response.build();
    }
}
