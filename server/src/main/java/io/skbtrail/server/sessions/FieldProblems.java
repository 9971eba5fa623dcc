package io.skbtrail.server.sessions;

import io.skbtrail.server.api.ApiProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the field errors of a request and throws them as one 400 problem. */
final class FieldProblems {
    private final List<ApiProblem.FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new ApiProblem.FieldError(field, message));
    }

    void throwIfAny(String detail) {
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest(errors.size() == 1
                    ? errors.get(0).field() + ": " + errors.get(0).message() : detail, errors);
        }
    }
}
