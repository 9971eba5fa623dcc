package io.skbtrail.server.events;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/ingest}: ingest counters and kernel-to-database latency; {@code POST /api/ingest/reset} (admin). */
@RestController
public class IngestController {
    private final IngestStats stats;

    IngestController(IngestStats stats) {
        this.stats = stats;
    }

    @GetMapping("/api/ingest")
    public IngestStats.Snapshot stats() {
        return stats.snapshot();
    }

    @PostMapping("/api/ingest/reset")
    public ResponseEntity<Void> reset() {
        stats.reset();
        return ResponseEntity.noContent().build();
    }
}
