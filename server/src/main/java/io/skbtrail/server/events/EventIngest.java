package io.skbtrail.server.events;

import io.skbtrail.protocol.EventBatch;
import io.skbtrail.server.agents.AgentLinkHandler;
import io.skbtrail.server.agents.Clocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Stores event batches: the events with COPY, the session's counters, and the agent's batch number, all in
 * one transaction, so a batch is stored exactly once however often an agent resends it.
 */
@Service
public class EventIngest {
    private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

    /** @param duplicate the batch was stored before (a resend): nothing was written */
    public record Stored(boolean duplicate, int events) {}

    private final DataSource dataSource;
    private final IngestStats stats;
    private final StoredEventsListener listener;

    EventIngest(DataSource dataSource, IngestStats stats, StoredEventsListener listener) {
        this.dataSource = dataSource;
        this.stats = stats;
        this.listener = listener;
    }

    /** A batch checked and encoded for COPY, before any database work. */
    public static final class Prepared {
        private final BatchRows rows;

        private Prepared(BatchRows rows) {
            this.rows = rows;
        }

        public long seq() {
            return rows.seq;
        }

        public long session() {
            return rows.session;
        }

        /** The session's end on its last batch, else null. */
        public String end() {
            return rows.end;
        }
    }

    /**
     * Checks every record and value of a parsed batch and encodes its rows.
     *
     * @throws IllegalArgumentException for a value the database would refuse, naming it
     */
    public Prepared prepare(EventBatch batch, long hostId) {
        return new Prepared(BatchRows.of(batch, hostId));
    }

    /**
     * Parses, checks and encodes a batch frame as agents send it ({@code frame[from, to)}, valid UTF-8).
     *
     * @throws IllegalArgumentException naming the record and field at fault, as {@link EventBatch#parse}
     *     does, or the value the database would refuse
     */
    public Prepared prepare(byte[] frame, int from, int to, long hostId, int maxLineLength) {
        return new Prepared(BatchRows.of(frame, from, to, hostId, maxLineLength, listener::wantsEvents));
    }

    /** Checks, encodes and stores a batch (for callers without a pipeline). */
    public Stored store(long hostId, String incarnation, EventBatch batch) {
        return store(hostId, incarnation, prepare(batch, hostId));
    }

    /**
     * Stores a prepared batch, or recognises it as stored before.
     *
     * @throws AgentLinkHandler.ProtocolViolation for a batch of a session the host was never asked to trace
     */
    public Stored store(long hostId, String incarnation, Prepared prepared) {
        BatchRows rows = prepared.rows;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Stored stored = store(c, hostId, incarnation, rows);
                c.commit();
                if (stored.duplicate()) {
                    stats.duplicate();
                } else {
                    stats.stored(rows.timesNs, rows.events, System.currentTimeMillis());
                    if (stored.events() > 0) {
                        listener.stored(hostId, rows.session, rows.stored);
                    }
                }
                return stored;
            } catch (SQLException e) {
                c.rollback();
                if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
                    throw e;
                }
                // A value PostgreSQL refuses that EventRows did not foresee. Resending would fail the same
                // way forever, so the batch is acknowledged and its events counted as lost at this hop.
                log.error("host {}: batch {} refused by the database ({}): {} events counted as lost (server_rejected)",
                        hostId, rows.seq, e.getMessage(), rows.events);
                store(c, hostId, incarnation, BatchRows.rejected(rows));
                c.commit();
                return new Stored(false, 0);
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing batch " + rows.seq + " of host " + hostId + ": " + e.getMessage(), e);
        }
    }

    private Stored store(Connection c, long hostId, String incarnation, BatchRows rows) throws SQLException {
        long acked;
        try (PreparedStatement s = c.prepareStatement(
                "select acked_seq, incarnation from hosts where id = ? for update")) {
            s.setLong(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !incarnation.equals(r.getString(2))) {
                    throw new IllegalStateException("host " + hostId + " has been taken over by another agent process");
                }
                acked = r.getLong(1);
            }
        }
        if (rows.seq <= acked) {
            return new Stored(true, 0);
        }
        if (rows.seq > acked + 1) {
            log.warn("host {}: batch {} follows batch {}: the agent skipped {} batches", hostId, rows.seq, acked,
                    rows.seq - acked - 1);
        }
        SessionCheck check = checkSession(c, hostId, rows.session);
        if (check == SessionCheck.GONE) {
            log.info("host {}: batch {} is for session {}, which was deleted: dropped", hostId, rows.seq, rows.session);
        } else {
            if (!rows.copy.isEmpty()) {
                copy(c, rows.copy);
            }
            updateCounters(c, hostId, rows.session, rows);
        }
        try (PreparedStatement s = c.prepareStatement("update hosts set acked_seq = ? where id = ?")) {
            s.setLong(1, rows.seq);
            s.setLong(2, hostId);
            s.executeUpdate();
        }
        return new Stored(false, rows.events);
    }

    /** The rows to the driver as they are, in one piece. */
    private static void copy(Connection c, RowBuffer rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy events (" + EventRows.COLUMNS + ") from stdin");
        try {
            in.writeToCopy(rows.array(), 0, rows.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private enum SessionCheck { OK, GONE }

    private static SessionCheck checkSession(Connection c, long hostId, long session) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select exists(select 1 from sessions where id = ?), "
                        + "exists(select 1 from session_hosts where session_id = ? and host_id = ?)")) {
            s.setLong(1, session);
            s.setLong(2, session);
            s.setLong(3, hostId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (!r.getBoolean(1)) {
                    return SessionCheck.GONE;
                }
                if (!r.getBoolean(2)) {
                    throw new AgentLinkHandler.ProtocolViolation(
                            "event batch for session " + session + ", which this host was never asked to trace");
                }
                return SessionCheck.OK;
            }
        }
    }

    private static void updateCounters(Connection c, long hostId, long session, BatchRows rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update session_hosts set events = events + ?, drops = drops + ?,"
                        + " first_event = least(first_event, ?), last_event = greatest(last_event, ?),"
                        + " lost = (select coalesce(jsonb_object_agg(k, coalesce((lost->>k)::bigint, 0)"
                        + "   + coalesce((?::jsonb->>k)::bigint, 0)), '{}'::jsonb)"
                        + "   from (select jsonb_object_keys(lost || ?::jsonb) k) keys),"
                        + " summary = coalesce(?::jsonb, summary), matched = coalesce(?, matched)"
                        + " where session_id = ? and host_id = ?")) {
            s.setLong(1, rows.events);
            s.setLong(2, rows.drops);
            s.setTimestamp(3, rows.events == 0 ? null : Timestamp.from(Clocks.instant(rows.firstNs)));
            s.setTimestamp(4, rows.events == 0 ? null : Timestamp.from(Clocks.instant(rows.lastNs)));
            String lost = Json.counts(rows.lost);
            s.setString(5, lost);
            s.setString(6, lost);
            s.setString(7, rows.summary);
            if (rows.matched == null) {
                s.setNull(8, java.sql.Types.BIGINT);
            } else {
                s.setLong(8, rows.matched);
            }
            s.setLong(9, session);
            s.setLong(10, hostId);
            s.executeUpdate();
        }
        if (!rows.dropsByReason.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into session_drop_counts (session_id, host_id, reason, count) values (?, ?, ?, ?)"
                            + " on conflict (session_id, host_id, reason)"
                            + " do update set count = session_drop_counts.count + excluded.count")) {
                for (Map.Entry<String, Long> d : rows.dropsByReason.entrySet()) {
                    s.setLong(1, session);
                    s.setLong(2, hostId);
                    s.setString(3, d.getKey());
                    s.setLong(4, d.getValue());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (rows.events > 0) {
            try (PreparedStatement s = c.prepareStatement(
                    "update sessions set event_count = event_count + ? where id = ?")) {
                s.setLong(1, rows.events);
                s.setLong(2, session);
                s.executeUpdate();
            }
        }
    }
}
