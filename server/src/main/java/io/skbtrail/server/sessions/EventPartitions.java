package io.skbtrail.server.sessions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Each session's events live in their own partition of {@code events}, named {@code events_s<id>}. */
@Component
public class EventPartitions {
    private final JdbcTemplate jdbc;

    EventPartitions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static String name(long session) {
        return "events_s" + session;
    }

    void create(long session) {
        jdbc.execute("create table if not exists " + name(session) + " partition of events for values in (" + session + ")");
    }
}
