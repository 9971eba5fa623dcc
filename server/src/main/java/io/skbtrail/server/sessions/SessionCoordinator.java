package io.skbtrail.server.sessions;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.agents.AgentConnection;
import io.skbtrail.server.agents.AgentEvents;
import io.skbtrail.server.agents.AgentRegistry;
import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives sessions on the agents: arms each selected host, starts it as soon as it is armed, stops it, and
 * follows hosts that go away and come back. State changes are serialised (one lock): they are rare next to
 * events, and the rules stay readable.
 *
 * <p>A host that disconnects opens a gap in each of its live sessions. If the same agent process comes
 * back, it kept tracing and resends what it buffered, so the gap is withdrawn; if a new process comes
 * back, what the old one had not sent is lost, and the gap closes when the new one is armed again.
 */
@Service
public class SessionCoordinator implements AgentEvents {
    private static final Logger log = LoggerFactory.getLogger(SessionCoordinator.class);
    private static final long STOP_TIMEOUT_SECONDS = 15;

    private final SessionRepository sessions;
    private final SessionHosts hosts;
    private final HostService hostService;
    private final AgentRegistry agents;
    private final TransactionTemplate tx;

    SessionCoordinator(SessionRepository sessions, SessionHosts hosts, HostService hostService, AgentRegistry agents,
            TransactionTemplate tx) {
        this.sessions = sessions;
        this.hosts = hosts;
        this.hostService = hostService;
        this.agents = agents;
        this.tx = tx;
    }

    /** Sends the arm command to every selected host that is connected. */
    synchronized void begin(long sessionId) {
        TraceSession session = sessions.findById(sessionId).orElseThrow();
        for (SessionHosts.Row row : hosts.of(sessionId)) {
            agents.byHostId(row.hostId()).ifPresent(agent -> arm(session, agent));
        }
    }

    private void arm(TraceSession session, AgentConnection agent) {
        hosts.setState(session.getId(), agent.hostId(), "arming", null);
        long maxEvents = session.getMaxEventsPerHost() == null ? 0 : session.getMaxEventsPerHost();
        agent.send(new ServerFrame.Arm(session.getId(), session.getFilter(), session.getOptions(), maxEvents,
                session.getDeadline()));
    }

    @Override
    public synchronized void armed(AgentConnection agent, AgentFrame.Armed armed) {
        Optional<TraceSession> found = sessions.findById(armed.session());
        if (found.isEmpty() || hosts.stateOf(armed.session(), agent.hostId()) == null) {
            log.warn("agent {} armed session {}, which it was not asked to trace: stopping it", agent.name(), armed.session());
            agent.send(new ServerFrame.Stop(armed.session()));
            return;
        }
        TraceSession session = found.get();
        if (!session.acceptsTracing()) {
            agent.send(new ServerFrame.Stop(armed.session()));
            return;
        }
        agent.send(new ServerFrame.Start(armed.session()));
        String notTraced = armed.notTraced().isEmpty() ? null : "not traced: " + String.join("; ", armed.notTraced());
        hosts.armed(session.getId(), agent.hostId(), armed.backend(), armed.probes(), notTraced);
        hosts.closeGaps(session.getId(), agent.hostId(), Instant.now(), null);
        if (session.getState().equals(TraceSession.PENDING)) {
            setState(session.getId(), TraceSession.RUNNING, null);
        }
        log.info("session {}: {} armed ({} probes, {}), tracing", session.getId(), agent.name(), armed.probes(), armed.backend());
    }

    @Override
    public synchronized void armFailed(AgentConnection agent, AgentFrame.ArmFailed failed) {
        if (hosts.stateOf(failed.session(), agent.hostId()) == null) {
            return;
        }
        hosts.setState(failed.session(), agent.hostId(), "failed", failed.reason());
        log.info("session {}: {} could not arm: {}", failed.session(), agent.name(), failed.reason());
        settle(failed.session());
    }

    @Override
    public synchronized void ended(AgentConnection agent, long session, String end) {
        hosts.done(session, agent.hostId(), end);
        log.info("session {}: {} ended ({})", session, agent.name(), end);
        settle(session);
    }

    @Override
    public synchronized void connected(AgentConnection agent, boolean restarted) {
        Set<Long> stillTracing = new HashSet<>(restarted ? List.of() : agent.hello().sessions());
        for (Long id : agent.hello().sessions()) {
            Optional<TraceSession> session = sessions.findById(id);
            if (session.isEmpty() || !session.get().acceptsTracing()) {
                agent.send(new ServerFrame.Stop(id));
            }
        }
        joinBySelection(agent);
        for (long id : hosts.liveSessionsOf(agent.hostId())) {
            TraceSession session = sessions.findById(id).orElseThrow();
            String state = hosts.stateOf(id, agent.hostId());
            if (!session.acceptsTracing()) {
                continue;
            }
            if (stillTracing.contains(id)) {
                hosts.forgetOpenGap(id, agent.hostId());
                hosts.setState(id, agent.hostId(), "tracing", null);
            } else if (state.equals("offline") || state.equals("arming") || state.equals("armed")
                    || state.equals("tracing")) {
                if (restarted) {
                    // One gap from the old process's last word to the new one's arming (closed in armed()).
                    String reason = "agent restarted: events it had not sent are lost";
                    hosts.openGap(id, agent.hostId(), Instant.now(), reason);
                    hosts.describeOpenGap(id, agent.hostId(), reason);
                }
                arm(session, agent);
            }
        }
    }

    /** A host that now matches a live session's selection (by name or labels) but is not in it joins it. */
    private void joinBySelection(AgentConnection agent) {
        Host host = hostService.byId(agent.hostId()).orElseThrow();
        for (TraceSession session : sessions.findByStateIn(List.of(TraceSession.PENDING, TraceSession.RUNNING))) {
            if (hosts.stateOf(session.getId(), host.getId()) == null && HostSelection.selects(session, host)) {
                hosts.insert(session.getId(), host.getId(), "offline", null);
                log.info("session {}: host {} matches its selection and joins", session.getId(), host.getName());
            }
        }
    }

    @Override
    public synchronized void disconnected(AgentConnection agent) {
        for (long id : hosts.liveSessionsOf(agent.hostId())) {
            String state = hosts.stateOf(id, agent.hostId());
            if (state.equals("arming") || state.equals("armed") || state.equals("tracing")) {
                hosts.setState(id, agent.hostId(), "offline", "agent disconnected");
                hosts.openGap(id, agent.hostId(), agent.lastSeen(), "agent disconnected");
            }
            settle(id);
        }
    }

    /** Asks every host to stop; the session is stopped when all have sent their last batch. */
    synchronized void stop(long sessionId, String reason) {
        TraceSession session = sessions.findById(sessionId).orElseThrow();
        if (!session.acceptsTracing()) {
            return;
        }
        setState(sessionId, TraceSession.STOPPING, reason);
        for (SessionHosts.Row row : hosts.of(sessionId)) {
            if (row.state().equals("arming") || row.state().equals("armed") || row.state().equals("tracing")) {
                agents.byHostId(row.hostId()).ifPresent(a -> a.send(new ServerFrame.Stop(sessionId)));
            }
        }
        settle(sessionId);
    }

    /** Ends the session once no host can send more: all done, failed, or (when stopping) offline. */
    private void settle(long sessionId) {
        TraceSession session = sessions.findById(sessionId).orElse(null);
        if (session == null || !session.isLive()) {
            return;
        }
        Map<String, Integer> counts = hosts.stateCounts(sessionId);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int failed = counts.getOrDefault("failed", 0);
        int done = counts.getOrDefault("done", 0);
        int offline = counts.getOrDefault("offline", 0);
        boolean stopping = session.getState().equals(TraceSession.STOPPING);
        if (total > 0 && failed == total) {
            setState(sessionId, TraceSession.FAILED, "no selected host could trace (see each host's reason)");
        } else if (done + failed == total || stopping && done + failed + offline == total) {
            setState(sessionId, TraceSession.STOPPED, stopping ? session.getStateReason()
                    : "every host ended (limit, deadline or stop)");
        }
    }

    private void setState(long sessionId, String state, String reason) {
        tx.executeWithoutResult(status -> sessions.findById(sessionId).ifPresent(s -> s.setState(state, reason)));
        if (state.equals(TraceSession.STOPPED) || state.equals(TraceSession.FAILED)) {
            hosts.closeGaps(sessionId, null, Instant.now(), null);
            stoppingSince.remove(sessionId);
            log.info("session {} {}{}", sessionId, state, reason == null ? "" : ": " + reason);
        }
    }

    /** Duration limits (the agents enforce them too) and stops that hosts never confirmed. */
    @Scheduled(fixedDelay = 500)
    synchronized void tick() {
        Instant now = Instant.now();
        for (TraceSession s : sessions.findByStateIn(List.of(TraceSession.PENDING, TraceSession.RUNNING,
                TraceSession.STOPPING))) {
            if (s.getState().equals(TraceSession.STOPPING)) {
                if (s.getDeadline() != null && now.isAfter(s.getDeadline().plusSeconds(STOP_TIMEOUT_SECONDS))
                        || stoppingSince(s).isBefore(now.minusSeconds(STOP_TIMEOUT_SECONDS))) {
                    setState(s.getId(), TraceSession.STOPPED, s.getStateReason() + "; some hosts did not confirm in "
                            + STOP_TIMEOUT_SECONDS + " s");
                }
            } else if (s.getDeadline() != null && now.isAfter(s.getDeadline())) {
                stop(s.getId(), "duration of " + s.getDurationSeconds() + " s reached");
            }
        }
    }

    private final Map<Long, Instant> stoppingSince = new java.util.concurrent.ConcurrentHashMap<>();

    private Instant stoppingSince(TraceSession s) {
        return stoppingSince.computeIfAbsent(s.getId(), k -> Instant.now());
    }
}
