package io.skbtrail.server.sessions;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The hosts of each session and their gaps. Plain SQL: ingest updates the same rows' counters
 * concurrently, so these rows are never loaded into and saved from entities.
 */
@Repository
public class SessionHosts {
    /** Host states that occupy one of the host's session slots. */
    static final String ACTIVE = "('arming', 'armed', 'tracing', 'offline')";

    /** One host's part in a session. */
    public record Row(long sessionId, long hostId, String hostName, String state, String reason, String backend,
            Integer probes, Instant armedAt, Instant doneAt, String endReason, long events, long drops,
            Instant firstEvent, Instant lastEvent, long matched, String lost, String summary) {}

    /** A time a host did not trace while selected. */
    public record Gap(long hostId, Instant from, Instant to, String reason) {}

    private final JdbcTemplate jdbc;

    SessionHosts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long session, long host, String state, String reason) {
        jdbc.update("insert into session_hosts (session_id, host_id, state, reason) values (?, ?, ?, ?)"
                + " on conflict do nothing", session, host, state, reason);
    }

    void setState(long session, long host, String state, String reason) {
        jdbc.update("update session_hosts set state = ?, reason = ? where session_id = ? and host_id = ?",
                state, reason, session, host);
    }

    void armed(long session, long host, String backend, int probes, String reason) {
        // The host's clock as last measured, until the link's next estimate while it traces (HostService.refresh).
        jdbc.update("update session_hosts sh set state = 'tracing', reason = ?, backend = ?, probes = ?,"
                + " armed_at = coalesce(armed_at, now()),"
                + " clock_offset_ns = coalesce(sh.clock_offset_ns, h.clock_offset_ns),"
                + " clock_uncertainty_ns = coalesce(sh.clock_uncertainty_ns, h.clock_uncertainty_ns)"
                + " from hosts h where h.id = sh.host_id and sh.session_id = ? and sh.host_id = ?",
                reason, backend, probes, session, host);
    }

    void done(long session, long host, String endReason) {
        jdbc.update("update session_hosts set state = 'done', end_reason = ?, done_at = now()"
                + " where session_id = ? and host_id = ? and state <> 'failed'", endReason, session, host);
    }

    /** Live sessions this host takes part in, with its state there. */
    List<Long> liveSessionsOf(long host) {
        return jdbc.query("select sh.session_id from session_hosts sh join sessions s on s.id = sh.session_id"
                + " where sh.host_id = ? and s.state in ('pending', 'running', 'stopping')",
                (r, i) -> r.getLong(1), host);
    }

    String stateOf(long session, long host) {
        List<String> states = jdbc.queryForList(
                "select state from session_hosts where session_id = ? and host_id = ?", String.class, session, host);
        return states.isEmpty() ? null : states.get(0);
    }

    /** Sessions occupying a slot of the host: live sessions where it is not done or failed. */
    int activeSessions(long host) {
        Integer n = jdbc.queryForObject("select count(*) from session_hosts sh join sessions s on s.id = sh.session_id"
                + " where sh.host_id = ? and s.state in ('pending', 'running', 'stopping') and sh.state in " + ACTIVE,
                Integer.class, host);
        return n == null ? 0 : n;
    }

    /** Counts of the session's hosts by state. */
    java.util.Map<String, Integer> stateCounts(long session) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        jdbc.query("select state, count(*) from session_hosts where session_id = ? group by state",
                r -> {
                    counts.put(r.getString(1), r.getInt(2));
                }, session);
        return counts;
    }

    public List<Row> of(long session) {
        return jdbc.query("select sh.session_id, sh.host_id, h.name, sh.state, sh.reason, sh.backend, sh.probes,"
                + " sh.armed_at, sh.done_at, sh.end_reason, sh.events, sh.drops, sh.first_event, sh.last_event,"
                + " sh.matched, sh.lost::text, sh.summary::text"
                + " from session_hosts sh join hosts h on h.id = sh.host_id where sh.session_id = ? order by h.name",
                (r, i) -> new Row(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), (Integer) r.getObject(7), instant(r.getTimestamp(8)),
                        instant(r.getTimestamp(9)), r.getString(10), r.getLong(11), r.getLong(12),
                        instant(r.getTimestamp(13)), instant(r.getTimestamp(14)), r.getLong(15), r.getString(16),
                        r.getString(17)), session);
    }

    void openGap(long session, long host, Instant from, String reason) {
        jdbc.update("insert into session_gaps (session_id, host_id, gap_from, reason)"
                + " select ?, ?, ?, ? where not exists (select 1 from session_gaps"
                + " where session_id = ? and host_id = ? and gap_to is null)",
                session, host, Timestamp.from(from), reason, session, host);
    }

    void describeOpenGap(long session, long host, String reason) {
        jdbc.update("update session_gaps set reason = ? where session_id = ? and host_id = ? and gap_to is null",
                reason, session, host);
    }

    /** The host came back with the same agent process: it kept tracing, nothing was missed. */
    void forgetOpenGap(long session, long host) {
        jdbc.update("delete from session_gaps where session_id = ? and host_id = ? and gap_to is null", session, host);
    }

    void closeGaps(long session, Long host, Instant to, String reason) {
        if (host == null) {
            jdbc.update("update session_gaps set gap_to = ?, reason = coalesce(?, reason)"
                    + " where session_id = ? and gap_to is null", Timestamp.from(to), reason, session);
        } else {
            jdbc.update("update session_gaps set gap_to = ?, reason = coalesce(?, reason)"
                    + " where session_id = ? and host_id = ? and gap_to is null", Timestamp.from(to), reason, session, host);
        }
    }

    public List<Gap> gaps(long session) {
        return jdbc.query("select host_id, gap_from, gap_to, reason from session_gaps where session_id = ? order by gap_from",
                (r, i) -> new Gap(r.getLong(1), instant(r.getTimestamp(2)), instant(r.getTimestamp(3)), r.getString(4)),
                session);
    }

    public java.util.Map<Long, java.util.Map<String, Long>> dropCounts(long session) {
        java.util.Map<Long, java.util.Map<String, Long>> counts = new java.util.HashMap<>();
        jdbc.query("select host_id, reason, count from session_drop_counts where session_id = ? order by count desc",
                r -> {
                    counts.computeIfAbsent(r.getLong(1), k -> new java.util.LinkedHashMap<>()).put(r.getString(2), r.getLong(3));
                }, session);
        return counts;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
