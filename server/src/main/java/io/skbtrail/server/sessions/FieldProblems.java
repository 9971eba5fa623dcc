package io.skbtrail.server.sessions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Collects field errors of a request and throws them as one 400 problem. */
final class FieldProblems {
    private final List<Map<String, String>> errors = new ArrayList<>();

    void add(String field, String message) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("field", field);
        e.put("message", message);
        errors.add(e);
    }

    void throwIfAny(String detail) {
        if (errors.isEmpty()) {
            return;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                errors.size() == 1 ? errors.get(0).get("field") + ": " + errors.get(0).get("message") : detail);
        problem.setTitle("Invalid session request");
        problem.setProperty("errors", errors);
        throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    static ErrorResponseException status(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return new ErrorResponseException(status, problem, null);
    }
}
