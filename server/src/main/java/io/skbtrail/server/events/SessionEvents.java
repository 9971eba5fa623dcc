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
        Map<Long, String> names = hostNames();
        return query.page(session, filter(p, names, p.limit()), names);
    }

    /** Every host's name by id. */
    public Map<Long, String> hostNames() {
        return hosts.all().stream().collect(Collectors.toMap(Host::getId, Host::getName));
    }

    /** The checked filter of these parameters. @throws io.skbtrail.server.api.ApiProblem 400 naming the field */
    public EventFilter filter(EventParams p, Map<Long, String> names, Integer limit) {
        return new EventFilter(new EventFilter.Params(criteria(p.filterValues(), names), p.from(), p.to(), p.after(),
                limit));
    }

    /** Filter values checked against the known hosts. */
    public static EventCriteria criteria(Map<String, String> values, Map<Long, String> names) {
        return EventCriteria.parse(values, name -> names.entrySet().stream().filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey).findFirst().orElse(null));
    }
}
