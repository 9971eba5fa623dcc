package io.skbtrail.server.journeys;

import io.skbtrail.server.sharing.SharedSessionAccess;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/diff?left=&right=} (viewer) and {@code GET /api/shared/{token}/diff?left=&right=} (share link:
 * both sides within the link's session). Sides: {@code 12} (a session), {@code 12:3-17} (a journey),
 * {@code 12:node-1:17} (one host's packet).
 */
@RestController
class DiffController {
    private final DiffService diffs;
    private final SharedSessionAccess shared;

    DiffController(DiffService diffs, SharedSessionAccess shared) {
        this.diffs = diffs;
        this.shared = shared;
    }

    @GetMapping("/api/diff")
    Object diff(@RequestParam(required = false) String left, @RequestParam(required = false) String right) {
        return diffs.diff(left, right, null);
    }

    @GetMapping("/api/shared/{token}/diff")
    Object sharedDiff(@PathVariable String token, @RequestParam(required = false) String left,
            @RequestParam(required = false) String right) {
        return diffs.diff(left, right, shared.sessionId(token));
    }
}
