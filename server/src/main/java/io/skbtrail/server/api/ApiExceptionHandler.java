package io.skbtrail.server.api;

import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * Turns every error a controller raises into {@code application/problem+json} (RFC 9457): status, title,
 * a {@code detail} saying what is wrong, and for invalid input an {@code errors} array of
 * {@code {"field","message"}}. Spring MVC's own exceptions (405, 415, missing parameters, bad path
 * variables, {@link org.springframework.web.server.ResponseStatusException}) are handled by the base class
 * in the same format. Errors raised before a controller is reached (401, 403, CSRF) are written by the
 * security entry point and access denied handler in the same shape.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem) {
        return ProblemResponses.entity(problem.status(), problem.detail(), problem.errors());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(AccessDeniedException e) {
        return ProblemResponses.entity(HttpStatus.FORBIDDEN, "your role does not allow this", null);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException e) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(
                new ApiProblem.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())));
        return ProblemResponses.entity(HttpStatus.BAD_REQUEST, "invalid request: " + describe(errors), errors);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> dataIntegrity(DataIntegrityViolationException e) {
        log.info("request refused by a database constraint: {}", e.getMostSpecificCause().getMessage());
        return ProblemResponses.entity(HttpStatus.CONFLICT,
                "the change conflicts with stored data (a duplicate or a reference to something deleted)", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("unexpected error while handling a request", e);
        return ProblemResponses.entity(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error (" + e.getClass().getSimpleName() + "); the server log has the details", null);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        for (FieldError f : e.getBindingResult().getFieldErrors()) {
            errors.add(new ApiProblem.FieldError(f.getField(), f.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(g ->
                errors.add(new ApiProblem.FieldError(g.getObjectName(), g.getDefaultMessage())));
        return ProblemResponses.entity(HttpStatus.BAD_REQUEST, "invalid request: " + describe(errors), errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            if (result instanceof ParameterErrors) {
                for (FieldError f : ((ParameterErrors) result).getFieldErrors()) {
                    errors.add(new ApiProblem.FieldError(f.getField(), f.getDefaultMessage()));
                }
                continue;
            }
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(new ApiProblem.FieldError(name, error.getDefaultMessage()));
            }
        }
        return ProblemResponses.entity(HttpStatus.BAD_REQUEST, "invalid request: " + describe(errors), errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JacksonException json = jsonCause(e);
        if (json == null) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            String detail = message.startsWith("Required request body is missing")
                    ? "the request body is missing: send a JSON object"
                    : "the request body could not be read as JSON";
            return ProblemResponses.entity(HttpStatus.BAD_REQUEST, detail, null);
        }
        String field = fieldPath(json);
        String problem = firstLine(json.getOriginalMessage());
        String where = json.getLocation() == null || json.getLocation().getLineNr() < 0 ? ""
                : " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        if (field.isEmpty()) {
            return ProblemResponses.entity(HttpStatus.BAD_REQUEST, "malformed JSON" + where + ": " + problem, null);
        }
        return ProblemResponses.entity(HttpStatus.BAD_REQUEST, "invalid value for '" + field + "': " + problem,
                List.of(new ApiProblem.FieldError(field, problem)));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ProblemResponses.entity(HttpStatus.NOT_FOUND,
                "no such endpoint: " + e.getHttpMethod() + " /" + e.getResourcePath(), null);
    }

    private static JacksonException jsonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException) {
                return (JacksonException) t;
            }
        }
        return null;
    }

    /** {@code hosts[2].name} from Jackson's reference path; empty when the error is not inside a field. */
    private static String fieldPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    private static String describe(List<ApiProblem.FieldError> errors) {
        if (errors.isEmpty()) {
            return "see errors";
        }
        StringBuilder text = new StringBuilder();
        for (ApiProblem.FieldError error : errors) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(error.field()).append(": ").append(error.message());
        }
        return text.toString();
    }
}
