package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Hosts as agents register them: facts from the hello, link state, clock. */
@Service
public class HostService {

    /** Spring Data repository of hosts. */
    public interface Repository extends JpaRepository<Host, Long> {
        Optional<Host> findByName(String name);

        List<Host> findAllByOrderByNameAsc();

        @Modifying
        @Query("update Host h set h.connected = false where h.connected = true")
        int markAllDisconnected();
    }

    /** Result of a hello: the host, and whether the agent process differs from the last one seen. */
    public record Registration(Host host, boolean restarted, long ackedSeq) {}

    private final Repository hosts;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    HostService(Repository hosts, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.hosts = hosts;
        this.jdbc = jdbc;
    }

    @Transactional
    public Registration hello(AgentFrame.Hello hello, long tokenId) {
        Host host = hosts.findByName(hello.name()).orElseGet(() -> new Host(hello.name()));
        boolean restarted = host.getIncarnation() != null && !host.getIncarnation().equals(hello.incarnation());
        if (!hello.incarnation().equals(host.getIncarnation())) {
            host.setIncarnation(hello.incarnation());
            host.setAckedSeq(0);
        }
        host.setLabels(new LinkedHashMap<>(hello.labels()));
        host.setKernel(hello.kernel());
        host.setArch(hello.arch());
        host.setAgentVersion(hello.agentVersion());
        host.setBackend(hello.backend());
        List<Map<String, Object>> backends = new ArrayList<>();
        for (AgentFrame.Backend b : hello.backends()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", b.name());
            m.put("available", b.available());
            m.put("reason", b.reason());
            backends.add(m);
        }
        host.setBackends(backends);
        host.setMaxSessions(hello.maxSessions());
        host.setBootId(hello.bootId());
        host.setTokenId(tokenId);
        host.setConnected(true);
        host.setLastSeen(Instant.now());
        host = hosts.save(host);
        return new Registration(host, restarted, host.getAckedSeq());
    }

    @Transactional
    public void disconnected(long hostId, Instant lastSeen) {
        hosts.findById(hostId).ifPresent(h -> {
            h.setConnected(false);
            h.setLastSeen(lastSeen);
        });
    }

    @Transactional
    public void refresh(long hostId, Instant lastSeen, long[] clock) {
        hosts.findById(hostId).ifPresent(h -> {
            h.setLastSeen(lastSeen);
            if (clock != null) {
                h.setClock(clock[0], clock[1]);
            }
        });
        // The host's row first, then its session rows: the order ingest locks them in (hosts row for update,
        // then session_hosts). The other order deadlocks with a batch being stored, and PostgreSQL takes
        // deadlock_timeout (1 s) to find out: ingest of that host stalled for a second at every clock sample.
        hosts.flush();
        if (clock != null) {
            // The sessions it traces keep the best estimate seen while it traced them (journeys align with it).
            jdbc.update("update session_hosts set clock_offset_ns = ?, clock_uncertainty_ns = ?"
                    + " where host_id = ? and state in ('armed', 'tracing')"
                    + " and (clock_uncertainty_ns is null or clock_uncertainty_ns >= ?)",
                    clock[0], clock[1], hostId, clock[1]);
        }
    }

    /** At startup no agent is connected, whatever the table says after a crash. */
    @Transactional
    public void markAllDisconnected() {
        hosts.markAllDisconnected();
    }

    @Transactional(readOnly = true)
    public List<Host> all() {
        return hosts.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public Optional<Host> byName(String name) {
        return hosts.findByName(name);
    }

    @Transactional(readOnly = true)
    public Optional<Host> byId(long id) {
        return hosts.findById(id);
    }
}
