package io.skbtrail.server.sessions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON shapes of the session API. */
public final class SessionViews {
    private SessionViews() {}

    public record Created(long id, String state, List<HostState> hosts) {}

    public record HostState(String host, String state, String reason) {}

    public record Listed(long id, String filter, String state, String stateReason, String createdBy, Instant createdAt,
            Instant startedAt, Instant endedAt, Instant deadline, long events, int hosts) {}

    public record Detail(long id, String filter, Map<String, String> options, List<String> selectedHosts,
            Map<String, String> selectedLabels, Integer durationSeconds, Long maxEventsPerHost, String state,
            String stateReason, String createdBy, Instant createdAt, Instant startedAt, Instant deadline,
            Instant endedAt, long events, List<HostDetail> hosts) {}

    public record HostDetail(String host, String state, String reason, String backend, Integer probes,
            Instant armedAt, Instant doneAt, String endReason, long events, long drops) {}

    public record Summary(long session, String state, long events, long drops, Map<String, Long> dropsByReason,
            Map<String, Long> lost, List<HostSummary> hosts) {}

    /**
     * @param lost events lost per hop on this host (kernel ring buffer, rate limit, agent buffer, …)
     * @param gaps times the host did not trace while selected
     * @param summary the agent's own summary record at the end, if it sent one
     */
    public record HostSummary(String host, String state, String reason, String endReason, long events, long drops,
            Map<String, Long> dropsByReason, Map<String, Long> lost, long matched, Instant firstEvent,
            Instant lastEvent, List<GapView> gaps, Object summary, Long clockOffsetNs, Long clockUncertaintyNs) {}

    public record GapView(Instant from, Instant to, String reason) {}
}
