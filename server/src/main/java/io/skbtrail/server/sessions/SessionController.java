package io.skbtrail.server.sessions;

import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.events.EventFilter;
import io.skbtrail.server.events.EventQuery;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The session API: start, list, inspect, stop, and read a session's events and summary. */
@RestController
public class SessionController {
    private final SessionService sessions;
    private final SessionSummaries summaries;
    private final EventQuery events;
    private final HostService hosts;

    SessionController(SessionService sessions, SessionSummaries summaries, EventQuery events, HostService hosts) {
        this.sessions = sessions;
        this.summaries = summaries;
        this.events = events;
        this.hosts = hosts;
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

    @GetMapping("/api/sessions/{id}/summary")
    public SessionViews.Summary summary(@PathVariable long id) {
        return summaries.of(sessions.get(id));
    }

    @GetMapping(value = "/api/sessions/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public String events(@PathVariable long id, @RequestParam(required = false) String host,
            @RequestParam(required = false) String func, @RequestParam(required = false) String dropReason,
            @RequestParam(required = false) String saddr, @RequestParam(required = false) String daddr,
            @RequestParam(required = false) Integer sport, @RequestParam(required = false) Integer dport,
            @RequestParam(required = false) Long packet, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        sessions.get(id);
        Map<Long, String> names = hosts.all().stream().collect(Collectors.toMap(Host::getId, Host::getName));
        Long hostId = null;
        if (host != null) {
            hostId = names.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> FieldProblems.status(HttpStatus.BAD_REQUEST, "host: unknown host \"" + host + "\""));
        }
        EventFilter filter = new EventFilter(new EventFilter.Params(hostId, func, dropReason, saddr, daddr, sport, dport,
                packet, from, to, after, limit));
        return events.page(id, filter, names);
    }
}
