package io.skbtrail.server.journeys;

import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.JsonText;
import io.skbtrail.server.agents.Clocks;
import io.skbtrail.server.events.EventQuery;
import io.skbtrail.server.events.EventText;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Journeys as the API shows them, written by hand like the events (they embed events as the events query shows them). */
final class JourneyJson {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private JourneyJson() {}

    static String time(long epochNs) {
        return TIME.format(Clocks.instant(epochNs));
    }

    /** What the list shows of a journey (and the detail starts with), without the closing brace. */
    static StringBuilder summaryOpen(StringBuilder out, JoinedSession joined, Journey j) {
        out.append("{\"id\":\"").append(j.id).append("\",\"state\":\"").append(j.state.wireName())
                .append("\",\"ambiguous\":").append(j.ambiguous()).append(",\"flow\":");
        Flow f = j.flow;
        if (f == null || f.saddr() == null) {
            out.append("null");
        } else {
            out.append("{\"saddr\":");
            JsonText.append(out, f.saddr());
            out.append(",\"daddr\":");
            JsonText.append(out, f.daddr());
            out.append(",\"sport\":").append(f.sport()).append(",\"dport\":").append(f.dport()).append(",\"proto\":");
            JsonText.appendNullable(out, f.proto());
            out.append('}');
        }
        out.append(",\"first\":\"").append(time(j.firstNs)).append("\",\"last\":\"").append(time(j.lastNs))
                .append("\",\"hosts\":[");
        for (int i = 0; i < j.hostOrder.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonText.append(out, joined.hosts.get(j.hostOrder[i]).name());
        }
        out.append("],\"dropHost\":");
        Segment drop = j.dropLane < 0 ? null : j.lanes[j.dropLane];
        JsonText.appendNullable(out, drop == null ? null : joined.hostName(drop));
        out.append(",\"dropReason\":");
        JsonText.appendNullable(out, drop == null ? null : drop.dropReason);
        out.append(",\"dropFunc\":");
        JsonText.appendNullable(out, drop == null ? null : drop.dropLocation != null ? drop.dropLocation : drop.dropFunc);
        out.append(",\"dropProbe\":");
        JsonText.appendNullable(out, drop == null ? null : drop.dropFunc);
        out.append(",\"segments\":").append(j.lanes.length);
        out.append(",\"encap\":");
        if (f == null || f.vni() == null) {
            out.append("null");
        } else {
            out.append("{\"type\":\"vxlan\",\"vni\":").append(f.vni()).append('}');
        }
        return out.append(",\"firstNs\":").append(j.firstNs).append(",\"lastNs\":").append(j.lastNs);
    }

    /** How much of the session the answer covers. */
    static void join(StringBuilder out, SessionJourneys.View view) {
        JoinedSession joined = view.joined();
        out.append("\"join\":{\"events\":").append(joined.events).append(",\"sessionEvents\":")
                .append(view.sessionEvents()).append(",\"complete\":").append(view.complete())
                .append(",\"journeys\":").append(joined.journeys.length).append(",\"segments\":")
                .append(joined.segments.size()).append(",\"computedAt\":\"")
                .append(time(joined.computedAtMillis * 1_000_000L)).append("\",\"millis\":").append(joined.millis)
                .append(",\"windowMs\":").append(joined.windowNs / 1_000_000).append('}');
    }

    /** The whole journey: summary, lanes with their events on the common clock, wire hops, match. */
    static String detail(SessionJourneys.View view, Journey j, List<EventQuery.Stored> events) {
        JoinedSession joined = view.joined();
        StringBuilder out = new StringBuilder(4096 + events.size() * 700);
        summaryOpen(out, joined, j).append(",\"lanes\":[");
        EventJson json = new EventJson();
        for (int i = 0; i < j.lanes.length; i++) {
            Segment s = j.lanes[i];
            HostClock prior = joined.hosts.get(s.host);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"host\":");
            JsonText.append(out, prior.name());
            out.append(",\"packet\":").append(s.packetId).append(",\"generation\":").append(s.generation)
                    .append(",\"clockOffsetNs\":").append(j.laneOffsetNs[i])
                    .append(",\"clockUncertaintyNs\":").append(j.laneUncertaintyNs[i] < 0 ? "null" : Long.toString(j.laneUncertaintyNs[i]))
                    .append(",\"measuredClockOffsetNs\":").append(prior.uncertaintyNs() == null ? "null" : prior.offsetNs())
                    .append(",\"measuredClockUncertaintyNs\":").append(prior.uncertaintyNs())
                    .append(",\"first\":\"").append(time(j.aligned(i, s.firstNs))).append("\",\"last\":\"")
                    .append(time(j.aligned(i, s.lastNs))).append("\",\"events\":[");
            long hostId = prior.hostId();
            boolean firstEvent = true;
            for (EventQuery.Stored e : events) {
                if (e.hostId() != hostId || e.event().packetId() != s.packetId
                        || !s.holds(Clocks.epochNanos(e.event().time()))) {
                    continue;
                }
                if (!firstEvent) {
                    out.append(',');
                }
                firstEvent = false;
                EventText.appendOpen(out, json, e.event(), prior.name(), joined.session).append(",\"alignedNs\":")
                        .append(Clocks.epochNanos(e.event().time()) - j.laneOffsetNs[i]).append('}');
            }
            out.append("]}");
        }
        out.append("],\"wire\":[");
        for (int w = 0; w < j.wires.size(); w++) {
            Journey.Wire wire = j.wires.get(w);
            Segment from = j.lanes[wire.fromLane()];
            Segment to = j.lanes[wire.toLane()];
            if (w > 0) {
                out.append(',');
            }
            out.append("{\"from\":");
            JsonText.append(out, joined.hostName(from));
            out.append(",\"to\":");
            JsonText.append(out, joined.hostName(to));
            out.append(",\"fromPacket\":").append(from.packetId).append(",\"toPacket\":").append(to.packetId)
                    .append(",\"ns\":").append(wire.ns()).append(",\"uncertaintyNs\":")
                    .append(wire.bounded() ? Long.toString((wire.maxNs() - wire.minNs()) / 2) : "null")
                    .append(",\"minNs\":").append(wire.minNs()).append(",\"maxNs\":").append(wire.maxNs()).append('}');
        }
        JourneyNotes notes = new JourneyNotes(joined, j);
        out.append("],\"match\":{\"by\":[");
        for (int i = 0; i < notes.by.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonText.append(out, notes.by.get(i));
        }
        out.append("],\"notes\":[");
        for (int i = 0; i < notes.notes.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonText.append(out, notes.notes.get(i));
        }
        out.append("],\"candidates\":[");
        for (int i = 0; i < notes.candidates.size(); i++) {
            Segment c = notes.candidates.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"host\":");
            JsonText.append(out, joined.hostName(c));
            out.append(",\"packet\":").append(c.packetId).append(",\"generation\":").append(c.generation)
                    .append(",\"journey\":\"").append(joined.journeyOf(c).id)
                    .append("\"}");
        }
        out.append("]},");
        join(out, view);
        return out.append('}').toString();
    }
}
