package io.skbtrail.server.sessions;

import io.skbtrail.protocol.SessionOptions;
import io.skbtrail.server.agents.AgentRegistry;
import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.audit.AuditLog;
import io.skbtrail.server.storage.EventPartitions;
import io.skbtrail.server.storage.SessionDeletion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.skbtrail.server.api.ApiProblem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, lists, stops and deletes sessions; validation happens here, before any agent hears of one. */
@Service
public class SessionService {
    private static final int MAX_DURATION_SECONDS = 7 * 24 * 3600;

    private final SessionRepository sessions;
    private final SessionHosts sessionHosts;
    private final HostService hosts;
    private final AgentRegistry agents;
    private final SessionCoordinator coordinator;
    private final EventPartitions partitions;
    private final AuditLog audit;
    private final SessionDeletion deletion;
    private final TransactionTemplate tx;

    SessionService(SessionRepository sessions, SessionHosts sessionHosts, HostService hosts, AgentRegistry agents,
            SessionCoordinator coordinator, EventPartitions partitions, AuditLog audit, SessionDeletion deletion,
            TransactionTemplate tx) {
        this.sessions = sessions;
        this.sessionHosts = sessionHosts;
        this.hosts = hosts;
        this.agents = agents;
        this.coordinator = coordinator;
        this.partitions = partitions;
        this.audit = audit;
        this.deletion = deletion;
        this.tx = tx;
    }

    /** Validates, stores and arms a session. @return its id */
    public long create(SessionRequest request, String user) {
        FieldProblems problems = new FieldProblems();
        String filter = SessionFilters.normalise(request.filter());
        String filterProblem = SessionFilters.problem(filter);
        if (filterProblem != null) {
            problems.add("filter", filterProblem);
        }
        if (request.durationSeconds() != null
                && (request.durationSeconds() < 1 || request.durationSeconds() > MAX_DURATION_SECONDS)) {
            problems.add("durationSeconds", "must be between 1 and " + MAX_DURATION_SECONDS + " (7 days)");
        }
        if (request.maxEventsPerHost() != null && request.maxEventsPerHost() < 1) {
            problems.add("maxEventsPerHost", "must be at least 1");
        }
        Map<String, String> options = options(request.options(), problems);
        List<Host> selected = select(request, problems);
        problems.throwIfAny("the session request has several problems; see errors");
        for (Host host : selected) {
            int active = sessionHosts.activeSessions(host.getId());
            if (active >= host.getMaxSessions()) {
                throw ApiProblem.conflict("host " + host.getName() + " already runs " + active
                        + " session(s), the most its agent takes at once with the " + host.getBackend()
                        + " backend (" + host.getMaxSessions() + "); stop one first");
            }
        }
        long id = tx.execute(status -> {
            TraceSession session = sessions.save(new TraceSession(filter, options,
                    request.hosts() == null ? List.of() : List.copyOf(new LinkedHashSet<>(request.hosts())),
                    request.labels() == null ? Map.of() : request.labels(), request.durationSeconds(),
                    request.maxEventsPerHost(), user));
            partitions.create(session.getId());
            for (Host host : selected) {
                boolean online = agents.byHostId(host.getId()).isPresent();
                sessionHosts.insert(session.getId(), host.getId(), online ? "arming" : "offline",
                        online ? null : "agent not connected; joins when it connects");
            }
            return session.getId();
        });
        audit.record(user, "session.start", "session/" + id, "filter \"" + filter + "\" on "
                + selected.stream().map(Host::getName).toList());
        coordinator.begin(id);
        return id;
    }

    private static Map<String, String> options(Map<String, Object> raw, FieldProblems problems) {
        Map<String, String> options = new LinkedHashMap<>();
        if (raw == null) {
            return options;
        }
        raw.forEach((name, value) -> {
            String text = value instanceof Boolean || value instanceof Number || value instanceof String
                    ? String.valueOf(value) : null;
            String problem = SessionOptions.problem(name, text);
            if (problem != null) {
                problems.add("options." + name, problem);
            } else {
                options.put(name, text);
            }
        });
        return options;
    }

    private List<Host> select(SessionRequest request, FieldProblems problems) {
        Set<Host> selected = new LinkedHashSet<>();
        List<String> names = request.hosts() == null ? List.of() : request.hosts();
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        if (names.isEmpty() && labels.isEmpty()) {
            problems.add("hosts", "select hosts by name (hosts) or by label (labels)");
            return List.of();
        }
        List<Host> all = hosts.all();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Host host = all.stream().filter(h -> h.getName().equals(name)).findFirst().orElse(null);
            if (host == null) {
                problems.add("hosts[" + i + "]", "unknown host \"" + name + "\" (GET /api/hosts lists them)");
            } else {
                selected.add(host);
            }
        }
        if (!labels.isEmpty()) {
            List<Host> matching = all.stream().filter(h -> HostSelection.matchesLabels(labels, h)).toList();
            if (matching.isEmpty()) {
                problems.add("labels", "no host carries all of " + labels);
            }
            selected.addAll(matching);
        }
        return new ArrayList<>(selected);
    }

    public void stop(long id, String user) {
        TraceSession session = get(id);
        if (!session.isLive()) {
            throw ApiProblem.conflict("session " + id + " is already " + session.getState());
        }
        audit.record(user, "session.stop", "session/" + id, null);
        coordinator.stop(id, "stopped by " + user);
    }

    /** Deletes an ended session and its events (a live one is refused with 409: stop it first). */
    public void delete(long id, String user) {
        deletion.delete(id, user);
    }

    public TraceSession get(long id) {
        return sessions.findById(id).orElseThrow(() -> ApiProblem.notFound("session " + id));
    }

    public List<TraceSession> all() {
        return sessions.findAllByOrderByIdDesc();
    }
}
