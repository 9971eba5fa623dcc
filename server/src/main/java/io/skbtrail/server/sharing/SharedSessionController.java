package io.skbtrail.server.sharing;

import io.skbtrail.server.events.EventParams;
import io.skbtrail.server.events.SessionEvents;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.SessionSummaries;
import io.skbtrail.server.sessions.SessionViews;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read-only access to one session through a share link, without login: its detail, summary and events,
 * exactly as {@code /api/sessions/{id}/…} gives them. Nothing else is reachable with the token.
 */
@RestController
public class SharedSessionController {
    private final SharedSessionAccess access;
    private final SessionService sessions;
    private final SessionSummaries summaries;
    private final SessionEvents events;

    SharedSessionController(SharedSessionAccess access, SessionService sessions, SessionSummaries summaries,
            SessionEvents events) {
        this.access = access;
        this.sessions = sessions;
        this.summaries = summaries;
        this.events = events;
    }

    @GetMapping("/api/shared/{token}/session")
    public SessionViews.Detail session(@PathVariable String token) {
        return summaries.detail(sessions.get(access.sessionId(token)));
    }

    @GetMapping("/api/shared/{token}/summary")
    public SessionViews.Summary summary(@PathVariable String token) {
        return summaries.of(sessions.get(access.sessionId(token)));
    }

    @GetMapping(value = "/api/shared/{token}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public String events(@PathVariable String token, EventParams params) {
        long session = access.sessionId(token);
        sessions.get(session);
        return events.page(session, params);
    }
}
