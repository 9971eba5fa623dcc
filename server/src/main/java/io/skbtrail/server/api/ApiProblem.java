package io.skbtrail.server.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An API error that becomes an {@code application/problem+json} response (RFC 9457) through
 * {@link ApiExceptionHandler}: the status, a {@code detail} a user can act on, and for validation errors the
 * fields at fault. Throw it from controllers and services:
 * <pre>
 *   throw ApiProblem.notFound("session " + id);
 *   throw ApiProblem.conflict("session 12 is running: stop it first");
 *   throw ApiProblem.badRequest("invalid filter", List.of(new FieldError("filter", "syntax error at 'prt'")));
 * </pre>
 */
public class ApiProblem extends RuntimeException {

    /** One invalid request field: its JSON name and what is wrong with it. */
    public record FieldError(String field, String message) {}

    private final HttpStatus status;
    private final List<FieldError> errors;

    public ApiProblem(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** 404 with detail "{@code what} does not exist", e.g. {@code notFound("session 12")}. */
    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, what + " does not exist", null);
    }

    /** 409: the request is valid but clashes with the current state. */
    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail, null);
    }

    /** 400 with the fields at fault (may be empty). */
    public static ApiProblem badRequest(String detail, List<FieldError> errors) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, errors);
    }

    public static ApiProblem badRequest(String detail) {
        return badRequest(detail, null);
    }

    /** 403: authenticated, but this action is not allowed (beyond what the URL rules already refuse). */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail, null);
    }

    /** Any other status, with a detail of your own. */
    public static ApiProblem of(HttpStatus status, String detail) {
        return new ApiProblem(status, detail, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
