package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.events.EventQuery;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/** The journeys API's reads: a page of the list, one journey with its events. */
@Service
public class JourneyService {
    private final SessionJourneys journeys;
    private final EventQuery events;
    private final javax.sql.DataSource dataSource;

    JourneyService(SessionJourneys journeys, EventQuery events, javax.sql.DataSource dataSource) {
        this.journeys = journeys;
        this.events = events;
        this.dataSource = dataSource;
    }

    /** Reads the flows of these journeys (those not read yet). */
    void loadFlows(JoinedSession joined, List<Journey> shown) {
        try {
            FlowLoader.load(dataSource, joined, shown);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("reading flows of session " + joined.session + ": " + e.getMessage(), e);
        }
    }

    /** Reads every journey's flow (for a diff of whole sessions). */
    void loadAllFlows(JoinedSession joined) {
        try {
            FlowLoader.loadAll(dataSource, joined);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("reading flows of session " + joined.session + ": " + e.getMessage(), e);
        }
    }

    /** A journey of a session and its events, as read now. */
    public record Found(SessionJourneys.View view, Journey journey, List<EventQuery.Stored> events) {}

    String page(long session, JourneyList.Params params) {
        SessionJourneys.View view = journeys.of(session);
        return JourneyList.page(view, params, shown -> loadFlows(view.joined(), shown));
    }

    String detail(long session, String jid) {
        Found f = find(session, jid);
        return JourneyJson.detail(f.view(), f.journey(), f.events());
    }

    /**
     * The journey whose id is {@code jid}, or that holds the segment {@code jid} names (a journey's id can
     * change when later events show the packet on an earlier host; its old id still finds it).
     *
     * @throws ApiProblem 400 for a malformed id, 404 when no journey of the session has it
     */
    Found find(long session, String jid) {
        long[] id = JourneyIds.parse("journey", jid);
        SessionJourneys.View view = journeys.of(session);
        Journey j = view.joined().journey(id[0], id[1], (int) id[2]);
        if (j == null) {
            throw ApiProblem.notFound("journey " + jid + " in session " + session);
        }
        loadFlows(view.joined(), List.of(j));
        return new Found(view, j, eventsOf(view.joined(), j));
    }

    /** The journey holding this host's packet (id and generation), or 404. */
    Found findByPacket(long session, String host, long packetId, int generation) {
        SessionJourneys.View view = journeys.of(session);
        int h = view.joined().hostIndexByName(host);
        Segment s = h < 0 ? null : view.joined().segment(h, packetId, generation);
        if (s == null) {
            throw ApiProblem.notFound("packet " + JourneyIds.packet(packetId, generation) + " of host " + host
                    + " in session " + session);
        }
        Journey j = view.joined().journeyOf(s);
        loadFlows(view.joined(), List.of(j));
        return new Found(view, j, eventsOf(view.joined(), j));
    }

    SessionJourneys.View view(long session) {
        return journeys.of(session);
    }

    List<EventQuery.Stored> eventsOf(JoinedSession joined, Journey j) {
        List<long[]> packets = new ArrayList<>(j.lanes.length);
        for (Segment s : j.lanes) {
            packets.add(new long[] {joined.hostId(s), s.packetId});
        }
        return events.ofPackets(joined.session, packets);
    }
}
