package io.skbtrail.server.downloads;

import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Clocks;
import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.events.EventFilter;
import io.skbtrail.server.events.EventParams;
import io.skbtrail.server.events.EventQuery;
import io.skbtrail.server.events.EventText;
import io.skbtrail.server.events.SessionEvents;
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
 * A session's events as a file: NDJSON, CSV or pcap-ng, with the events query's filters, every matching event
 * (no page limit), streamed from PostgreSQL page by page so millions of events never sit in memory. Everything
 * is checked before the first byte goes out (bad filters are 400 problems, a pcap-ng of a session without
 * packet bytes is 409); a failure later can only cut the download short.
 */
@Service
public class EventDownloads {
    /** Download formats, by file extension. */
    public enum Format {
        NDJSON("ndjson", "application/x-ndjson"),
        CSV("csv", "text/csv; charset=utf-8"),
        PCAPNG("pcapng", "application/x-pcapng");

        final String extension;
        final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }
    }

    /** Bytes gathered before each write to the client. */
    private static final int CHUNK = 64 * 1024;

    private final SessionService sessions;
    private final SessionEvents sessionEvents;
    private final EventQuery query;

    EventDownloads(SessionService sessions, SessionEvents sessionEvents, EventQuery query) {
        this.sessions = sessions;
        this.sessionEvents = sessionEvents;
        this.query = query;
    }

    /** Checks everything, then writes the file to the response. */
    public void download(long sessionId, EventParams params, Format format, HttpServletResponse response)
            throws IOException {
        TraceSession session = sessions.get(sessionId);
        Map<Long, String> names = sessionEvents.hostNames();
        EventFilter filter = sessionEvents.filter(params, names, null);
        if (format == Format.PCAPNG && packetBytes(session) == 0) {
            throw ApiProblem.conflict("session " + sessionId + " did not capture packet bytes, so there is nothing"
                    + " for pcap-ng; start a session with the option output-packet-bytes (1 to 256) to export packets");
        }
        response.setContentType(format.contentType);
        response.setHeader("Content-Disposition",
                "attachment; filename=\"skbtrail-session-" + sessionId + "." + format.extension + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try (OutputStream out = new BufferedOutputStream(response.getOutputStream(), CHUNK)) {
            switch (format) {
                case NDJSON -> ndjson(sessionId, filter, names, out);
                case CSV -> csv(sessionId, filter, names, out);
                case PCAPNG -> pcapng(session, filter, names, out);
            }
        }
    }

    /** The session's {@code output-packet-bytes}, 0 if it did not capture packets. */
    public static int packetBytes(TraceSession session) {
        String n = session.getOptions() == null ? null : session.getOptions().get("output-packet-bytes");
        try {
            return n == null ? 0 : Integer.parseInt(n.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void ndjson(long session, EventFilter filter, Map<Long, String> names, OutputStream out) throws IOException {
        EventJson json = new EventJson();
        StringBuilder text = new StringBuilder(CHUNK + 4096);
        query.forEach(session, filter, false, (hostId, e) -> {
            EventText.appendOpen(text, json, e, names.get(hostId), session).append("}\n");
            if (text.length() >= CHUNK) {
                flush(text, out);
            }
        });
        flush(text, out);
    }

    private void csv(long session, EventFilter filter, Map<Long, String> names, OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(CHUNK + 4096);
        CsvRows.header(text);
        query.forEach(session, filter, false, (hostId, e) -> {
            CsvRows.row(text, e, names.get(hostId), session);
            if (text.length() >= CHUNK) {
                flush(text, out);
            }
        });
        flush(text, out);
    }

    /**
     * One interface description per interface a packet was seen on: (host, network namespace, ifindex), named
     * {@code host:iface} — how Wireshark shows a capture from many interfaces. Packets seen with no device
     * (at the socket layer) are on {@code host:-} of their namespace.
     */
    private void pcapng(TraceSession session, EventFilter filter, Map<Long, String> names, OutputStream out)
            throws IOException {
        PcapngWriter pcap = new PcapngWriter(out);
        pcap.sectionHeader("skbtrail", "skbtrail session " + session.getId() + ", filter \"" + session.getFilter()
                + "\": one packet per event (a packet seen at several probe points appears once at each)");
        Map<String, Integer> interfaces = new HashMap<>();
        query.forEach(session.getId(), filter, true, (hostId, e) -> {
            PacketFrame frame = PacketFrame.of(e);
            if (frame == null) {
                return;
            }
            String host = names.getOrDefault(hostId, "host" + hostId);
            String iface = e.iface() != null ? e.iface() : e.ifindex() > 0 ? "if" + e.ifindex() : "-";
            String key = hostId + "/" + e.netns() + "/" + e.ifindex();
            Integer id = interfaces.get(key);
            if (id == null) {
                id = pcap.interfaceDescription(PcapngWriter.LINKTYPE_ETHERNET, host + ":" + iface,
                        iface + (e.ifindex() > 0 ? " (ifindex " + e.ifindex() + ")" : " (no device)") + " in netns "
                                + e.netns() + " on host " + host);
                interfaces.put(key, id);
            }
            pcap.packet(id, Clocks.epochNanos(e.time()), frame.data(), frame.originalLength(), comment(host, e, frame));
        });
    }

    /** Host, probe point, drop reason and where, packet id: what a Wireshark user filters on. */
    static String comment(String host, io.skbtrail.protocol.Event e, PacketFrame frame) {
        StringBuilder c = new StringBuilder(host).append(' ').append(e.func());
        if (e.dropReason() != null) {
            c.append(" drop ").append(e.dropReason());
            if (e.location() != null) {
                c.append(" at ").append(e.location());
            }
        }
        c.append(", packet ").append(e.packetId()).append(", skb ").append(e.skb());
        if (frame.synthesizedHeader()) {
            c.append("; no link-layer header at this probe point (zero Ethernet header added)");
        }
        return c.toString();
    }

    private static void flush(StringBuilder text, OutputStream out) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        text.setLength(0);
    }
}
