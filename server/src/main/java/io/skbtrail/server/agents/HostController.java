package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/hosts}: every host an agent ever registered, with its live state. */
@RestController
public class HostController {
    private final HostService hosts;
    private final AgentRegistry agents;

    HostController(HostService hosts, AgentRegistry agents) {
        this.hosts = hosts;
        this.agents = agents;
    }

    /**
     * @param state {@code online} (agent connected) or {@code offline}
     * @param eventsPerSecond events stored from it per second, last ten seconds
     * @param lost events lost per hop in its live sessions (from its heartbeat)
     * @param clockOffsetNs its clock minus the server's; within ± clockUncertaintyNs
     */
    public record HostView(long id, String name, Map<String, String> labels, String state, String kernel, String arch,
            String agentVersion, String backend, List<Map<String, Object>> backends, int maxSessions, String bootId,
            Instant firstSeen, Instant lastSeen, double eventsPerSecond, Map<String, Long> lost, Long bufferedEvents,
            Long clockOffsetNs, Long clockUncertaintyNs) {}

    @GetMapping("/api/hosts")
    public List<HostView> hosts() {
        return hosts.all().stream().map(this::view).toList();
    }

    private HostView view(Host h) {
        AgentConnection live = agents.byName(h.getName()).orElse(null);
        Map<String, Long> lost = new TreeMap<>();
        Long buffered = null;
        Long offset = h.getClockOffsetNs();
        Long uncertainty = h.getClockUncertaintyNs();
        double rate = 0;
        Instant lastSeen = h.getLastSeen();
        if (live != null) {
            AgentFrame.Heartbeat beat = live.lastHeartbeat();
            if (beat != null) {
                beat.sessions().forEach(s -> s.lost().forEach((hop, n) -> lost.merge(hop, n, Long::sum)));
                buffered = beat.bufferedEvents();
                lost.merge("agent_buffer", beat.bufferLost(), Math::max);
            }
            long[] clock = live.clockEstimate();
            if (clock != null) {
                offset = clock[0];
                uncertainty = clock[1];
            }
            rate = live.rate().perSecond();
            lastSeen = live.lastSeen();
        }
        return new HostView(h.getId(), h.getName(), h.getLabels(), live != null ? "online" : "offline", h.getKernel(),
                h.getArch(), h.getAgentVersion(), h.getBackend(), h.getBackends(), h.getMaxSessions(), h.getBootId(),
                h.getFirstSeen(), lastSeen, rate, lost, buffered, offset, uncertainty);
    }
}
