package io.skbtrail.server.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, newest first (admin only): {@code GET /api/audit?limit=100}. */
@RestController
class AuditController {
    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    List<AuditEntry> latest(@RequestParam(defaultValue = "100") @Min(1) @Max(10_000) int limit) {
        return audit.latest(limit);
    }
}
