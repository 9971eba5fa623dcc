package io.skbtrail.server.journeys;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Clocks;
import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.downloads.EventDownloads;
import io.skbtrail.server.downloads.PacketFrame;
import io.skbtrail.server.downloads.PcapngWriter;
import io.skbtrail.server.events.EventQuery;
import io.skbtrail.server.events.EventText;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.TraceSession;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * One journey as a file: NDJSON (its events lane by lane, each the events query's object with {@code journey},
 * {@code lane} and {@code alignedNs} added) or pcap-ng (its captured packets on the common clock, one interface
 * per host and probe point, so Wireshark shows the packet's path as a list of interfaces).
 */
@Service
class JourneyExport {
    private final JourneyService journeys;
    private final SessionService sessions;

    JourneyExport(JourneyService journeys, SessionService sessions) {
        this.journeys = journeys;
        this.sessions = sessions;
    }

    void ndjson(long sessionId, String jid, HttpServletResponse response) throws IOException {
        JourneyService.Found f = journeys.find(sessionId, jid);
        JoinedSession joined = f.view().joined();
        Journey j = f.journey();
        headers(response, "application/x-ndjson", sessionId, j, "ndjson");
        EventJson json = new EventJson();
        StringBuilder text = new StringBuilder(8192);
        try (OutputStream out = new BufferedOutputStream(response.getOutputStream(), 65536)) {
            for (int lane = 0; lane < j.lanes.length; lane++) {
                Segment s = j.lanes[lane];
                for (EventQuery.Stored e : f.events()) {
                    if (e.hostId() == joined.hostId(s) && e.event().packetId() == s.packetId
                            && s.holds(Clocks.epochNanos(e.event().time()))) {
                        EventText.appendOpen(text, json, e.event(), joined.hostName(s), sessionId)
                                .append(",\"journey\":\"").append(j.id).append("\",\"lane\":").append(lane)
                                .append(",\"alignedNs\":").append(Clocks.epochNanos(e.event().time()) - j.laneOffsetNs[lane])
                                .append("}\n");
                    }
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                text.setLength(0);
            }
        }
    }

    void pcapng(long sessionId, String jid, HttpServletResponse response) throws IOException {
        TraceSession session = sessions.get(sessionId);
        JourneyService.Found f = journeys.find(sessionId, jid);
        if (EventDownloads.packetBytes(session) == 0) {
            throw ApiProblem.conflict("session " + sessionId + " did not capture packet bytes, so there is nothing"
                    + " for pcap-ng; start a session with the option output-packet-bytes (1 to 256) to export packets");
        }
        JoinedSession joined = f.view().joined();
        Journey j = f.journey();
        headers(response, "application/x-pcapng", sessionId, j, "pcapng");
        try (OutputStream out = new BufferedOutputStream(response.getOutputStream(), 65536)) {
            PcapngWriter pcap = new PcapngWriter(out);
            pcap.sectionHeader("skbtrail", "skbtrail session " + sessionId + ", journey " + j.id + " ("
                    + j.state.wireName() + "): one packet per probe point it passed, on the server's clock");
            Map<String, Integer> interfaces = new HashMap<>();
            for (int lane = 0; lane < j.lanes.length; lane++) {
                Segment s = j.lanes[lane];
                String host = joined.hostName(s);
                for (EventQuery.Stored stored : f.events()) {
                    Event e = stored.event();
                    if (stored.hostId() != joined.hostId(s) || e.packetId() != s.packetId
                            || !s.holds(Clocks.epochNanos(e.time()))) {
                        continue;
                    }
                    PacketFrame frame = PacketFrame.of(e);
                    if (frame == null) {
                        continue;
                    }
                    String name = host + ":" + e.func();
                    Integer id = interfaces.get(name);
                    if (id == null) {
                        id = pcap.interfaceDescription(PcapngWriter.LINKTYPE_ETHERNET, name, "probe point " + e.func()
                                + " on host " + host);
                        interfaces.put(name, id);
                    }
                    long aligned = Clocks.epochNanos(e.time()) - j.laneOffsetNs[lane];
                    pcap.packet(id, aligned, frame.data(), frame.originalLength(), comment(host, e, frame, j, lane));
                }
            }
        }
    }

    private static String comment(String host, Event e, PacketFrame frame, Journey j, int lane) {
        StringBuilder c = new StringBuilder(host).append(' ').append(e.func());
        if (e.dropReason() != null) {
            c.append(" drop ").append(e.dropReason());
            if (e.location() != null) {
                c.append(" at ").append(e.location());
            }
        }
        if (e.iface() != null) {
            c.append(" on ").append(e.iface());
        }
        c.append(", journey ").append(j.id).append(" lane ").append(lane).append(" (packet ").append(e.packetId())
                .append("), host clock ").append(e.time()).append(", offset ").append(j.laneOffsetNs[lane])
                .append(" ns");
        if (j.laneUncertaintyNs[lane] >= 0) {
            c.append(" ± ").append(j.laneUncertaintyNs[lane]).append(" ns");
        }
        if (frame.synthesizedHeader()) {
            c.append("; no link-layer header at this probe point (zero Ethernet header added)");
        }
        return c.toString();
    }

    private static void headers(HttpServletResponse response, String type, long session, Journey j, String ext) {
        response.setContentType(type);
        response.setHeader("Content-Disposition",
                "attachment; filename=\"skbtrail-session-" + session + "-journey-" + j.id + "." + ext + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
