package io.skbtrail.server.sessions;

import io.skbtrail.server.security.CurrentUser;
import io.skbtrail.server.events.EventParams;
import io.skbtrail.server.events.SessionEvents;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The session API: start, list, inspect, stop, and read a session's events and summary. */
@RestController
public class SessionController {
    private final SessionService sessions;
    private final SessionSummaries summaries;
    private final SessionEvents events;

    SessionController(SessionService sessions, SessionSummaries summaries, SessionEvents events) {
        this.sessions = sessions;
        this.summaries = summaries;
        this.events = events;
    }

    @PostMapping("/api/sessions")
    public ResponseEntity<SessionViews.Created> create(@RequestBody SessionRequest request, Principal user) {
        long id = sessions.create(request, user.getName());
        SessionViews.Detail detail = summaries.detail(sessions.get(id));
        List<SessionViews.HostState> states = detail.hosts().stream()
                .map(h -> new SessionViews.HostState(h.host(), h.state(), h.reason())).toList();
        return ResponseEntity.created(URI.create("/api/sessions/" + id))
                .body(new SessionViews.Created(id, detail.state(), states));
    }

    @GetMapping("/api/sessions")
    public List<SessionViews.Listed> list() {
        return sessions.all().stream().map(summaries::listed).toList();
    }

    @GetMapping("/api/sessions/{id}")
    public SessionViews.Detail get(@PathVariable long id) {
        return summaries.detail(sessions.get(id));
    }

    @PostMapping("/api/sessions/{id}/stop")
    public ResponseEntity<SessionViews.Detail> stop(@PathVariable long id, Principal user) {
        sessions.stop(id, user.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(summaries.detail(sessions.get(id)));
    }

    @DeleteMapping("/api/sessions/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        sessions.delete(id, CurrentUser.name());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/sessions/{id}/summary")
    public SessionViews.Summary summary(@PathVariable long id) {
        return summaries.of(sessions.get(id));
    }

    @GetMapping(value = "/api/sessions/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public String events(@PathVariable long id, EventParams params) {
        sessions.get(id);
        return events.page(id, params);
    }
}
