package io.skbtrail.server.retention;

import io.skbtrail.server.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Retention API (admin): read and replace the limits, run them now. PUT replaces both limits: a field
 * left out or null means no limit.
 */
@RestController
@RequestMapping("/api/retention")
class RetentionController {

    record Limits(
            @Min(value = 1, message = "at least 1 day (null: no age limit)")
            @Max(value = 36_500, message = "at most 36500 days") Integer maxAgeDays,
            @Min(value = 1, message = "at least 1 byte (null: no size limit)") Long maxTotalBytes) {
        static Limits of(RetentionSettings s) {
            return new Limits(s.getMaxAgeDays(), s.getMaxTotalBytes());
        }
    }

    private final Retention retention;

    RetentionController(Retention retention) {
        this.retention = retention;
    }

    @GetMapping
    Limits get() {
        return Limits.of(retention.settings());
    }

    @PutMapping
    Limits put(@Valid @RequestBody Limits body) {
        return Limits.of(retention.update(body.maxAgeDays(), body.maxTotalBytes(), CurrentUser.name()));
    }

    @PostMapping("/run")
    Retention.Report run() {
        return retention.run(CurrentUser.name());
    }
}
