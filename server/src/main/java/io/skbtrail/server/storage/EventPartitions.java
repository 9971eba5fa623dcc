package io.skbtrail.server.storage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The events table's partitions, one per session ({@code events_s<id>}): creating, measuring and dropping them. */
@Component
public class EventPartitions {
    private final JdbcTemplate jdbc;

    EventPartitions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static String tableName(long sessionId) {
        return "events_s" + sessionId;
    }

    /** Creates the session's partition; events of the session can be stored from then on. */
    public void create(long sessionId) {
        jdbc.execute("create table if not exists " + tableName(sessionId) + " partition of events for values in ("
                + sessionId + ")");
    }

    /** Bytes on disk of every partition of {@code events}, indexes and TOAST included. */
    public long totalBytes() {
        Long bytes = jdbc.queryForObject("""
                select coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)
                from pg_inherits i where i.inhparent = 'events'::regclass""", Long.class);
        return bytes == null ? 0 : bytes;
    }

    /** Bytes on disk of one session's partition; 0 if it has none. */
    public long bytes(long sessionId) {
        Long bytes = jdbc.queryForObject("select coalesce(pg_total_relation_size(to_regclass(?)), 0)", Long.class,
                tableName(sessionId));
        return bytes == null ? 0 : bytes;
    }

    /** Drops the session's partition, if it exists (its events are gone at once, no vacuum needed). */
    public void drop(long sessionId) {
        // The name is built from a long, so it cannot inject anything.
        jdbc.execute("drop table if exists " + tableName(sessionId));
    }
}
