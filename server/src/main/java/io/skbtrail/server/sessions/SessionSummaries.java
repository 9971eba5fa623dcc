package io.skbtrail.server.sessions;

import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Session summaries from the counters kept at ingest: never a scan of the events. */
@Service
public class SessionSummaries {
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

    private final SessionHosts sessionHosts;
    private final HostService hosts;
    private final ObjectMapper json;

    SessionSummaries(SessionHosts sessionHosts, HostService hosts, ObjectMapper json) {
        this.sessionHosts = sessionHosts;
        this.hosts = hosts;
        this.json = json;
    }

    public SessionViews.Summary of(TraceSession session) {
        long id = session.getId();
        Map<Long, Map<String, Long>> drops = sessionHosts.dropCounts(id);
        List<SessionHosts.Gap> gaps = sessionHosts.gaps(id);
        List<SessionViews.HostSummary> perHost = new ArrayList<>();
        Map<String, Long> allDrops = new TreeMap<>();
        Map<String, Long> allLost = new TreeMap<>();
        long events = 0;
        long dropCount = 0;
        for (SessionHosts.Row row : sessionHosts.of(id)) {
            Map<String, Long> lost = new TreeMap<>(json.readValue(row.lost(), COUNTS));
            Map<String, Long> byReason = drops.getOrDefault(row.hostId(), Map.of());
            byReason.forEach((r, n) -> allDrops.merge(r, n, Long::sum));
            lost.forEach((hop, n) -> allLost.merge(hop, n, Long::sum));
            events += row.events();
            dropCount += row.drops();
            List<SessionViews.GapView> hostGaps = gaps.stream().filter(g -> g.hostId() == row.hostId())
                    .map(g -> new SessionViews.GapView(g.from(), g.to(), g.reason())).toList();
            Host host = hosts.byId(row.hostId()).orElseThrow();
            perHost.add(new SessionViews.HostSummary(row.hostName(), row.state(), row.reason(), row.endReason(),
                    row.events(), row.drops(), byReason, lost, row.matched(), row.firstEvent(), row.lastEvent(),
                    hostGaps, row.summary() == null ? null : json.readTree(row.summary()), host.getClockOffsetNs(),
                    host.getClockUncertaintyNs()));
        }
        return new SessionViews.Summary(id, session.getState(), events, dropCount, allDrops, allLost, perHost);
    }

    public SessionViews.Detail detail(TraceSession s) {
        List<SessionViews.HostDetail> rows = sessionHosts.of(s.getId()).stream()
                .map(r -> new SessionViews.HostDetail(r.hostName(), r.state(), r.reason(), r.backend(), r.probes(),
                        r.armedAt(), r.doneAt(), r.endReason(), r.events(), r.drops()))
                .toList();
        return new SessionViews.Detail(s.getId(), s.getFilter(), s.getOptions(), s.getSelectedHosts(),
                s.getSelectedLabels(), s.getDurationSeconds(), s.getMaxEventsPerHost(), s.getState(),
                s.getStateReason(), s.getCreatedBy(), s.getCreatedAt(), s.getStartedAt(), s.getDeadline(),
                s.getEndedAt(), s.getEventCount(), rows);
    }

    public SessionViews.Listed listed(TraceSession s) {
        return new SessionViews.Listed(s.getId(), s.getFilter(), s.getState(), s.getStateReason(), s.getCreatedBy(),
                s.getCreatedAt(), s.getStartedAt(), s.getEndedAt(), s.getDeadline(), s.getEventCount(),
                sessionHosts.of(s.getId()).size());
    }
}
