package io.skbtrail.server.journeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The clock of each host of a session: the estimate recorded while it traced the session (the agent link's
 * ping/pong estimate with the smallest uncertainty, {@code session_hosts.clock_*}), else the host's latest
 * estimate ({@code hosts.clock_*}), else none (offset 0, uncertainty unknown).
 */
final class SessionClocks {
    private SessionClocks() {}

    static List<HostClock> read(Connection c, long session) throws SQLException {
        List<HostClock> hosts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select sh.host_id, h.name,"
                + " case when sh.clock_offset_ns is not null then sh.clock_offset_ns else h.clock_offset_ns end,"
                + " case when sh.clock_offset_ns is not null then sh.clock_uncertainty_ns else h.clock_uncertainty_ns end,"
                + " sh.backend from session_hosts sh join hosts h on h.id = sh.host_id where sh.session_id = ?"
                + " order by h.name")) {
            s.setLong(1, session);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long offset = r.getLong(3);
                    boolean known = !r.wasNull();
                    long uncertainty = r.getLong(4);
                    hosts.add(new HostClock(r.getLong(1), r.getString(2), known ? offset : 0,
                            known && !r.wasNull() ? uncertainty : null, r.getString(5)));
                }
            }
        }
        return hosts;
    }
}
