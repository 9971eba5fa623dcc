package io.skbtrail.server.events;

import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** One page of a session's events for the API and share links: names resolved, parameters checked. */
@Service
public class SessionEvents {
    private final EventQuery query;
    private final HostService hosts;

    SessionEvents(EventQuery query, HostService hosts) {
        this.query = query;
        this.hosts = hosts;
    }

    /** The page as JSON {@code {"events":[…],"next":…}}; the session must exist (the caller checks). */
    public String page(long session, EventParams p) {
        Map<Long, String> names = hosts.all().stream().collect(Collectors.toMap(Host::getId, Host::getName));
        Long hostId = null;
        if (p.host() != null) {
            hostId = names.entrySet().stream().filter(e -> e.getValue().equals(p.host())).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> EventFilter.bad("host", "unknown host \"" + p.host() + "\""));
        }
        return query.page(session, new EventFilter(new EventFilter.Params(hostId, p.func(), p.dropReason(), p.saddr(),
                p.daddr(), p.sport(), p.dport(), p.packet(), p.from(), p.to(), p.after(), p.limit())), names);
    }
}
