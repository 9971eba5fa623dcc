package io.skbtrail.server.sessions;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/filters/check}: is this pcap filter one a session can take? The dashboard asks as the user
 * types. 200 {@code {"filter","valid":true}}, or 400 problem+json with the compiler's message on field
 * {@code filter} (the same as {@code POST /api/sessions} gives). Checking changes nothing.
 */
@RestController
class FilterCheckController {
    record FilterCheck(String filter) {}

    record FilterValid(String filter, boolean valid) {}

    @PostMapping("/api/filters/check")
    FilterValid check(@RequestBody FilterCheck request) {
        String filter = SessionFilters.normalise(request.filter());
        FieldProblems problems = new FieldProblems();
        String problem = SessionFilters.problem(filter);
        if (problem != null) {
            problems.add("filter", problem);
        }
        problems.throwIfAny("invalid filter");
        return new FilterValid(filter, true);
    }
}
