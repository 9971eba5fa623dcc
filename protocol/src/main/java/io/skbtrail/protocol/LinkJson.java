package io.skbtrail.protocol;

import java.util.List;
import java.util.Map;

/**
 * Encodes agent-link control frames as one JSON object each (a WebSocket text frame). Field names are
 * snake_case like the event contract; {@link LinkJsonParser} reads them back strictly.
 */
public final class LinkJson {

    /** The agent-link protocol version this code speaks. */
    public static final int PROTOCOL = 1;

    private LinkJson() {}

    /** The JSON text of an agent frame. */
    public static String encode(AgentFrame frame) {
        StringBuilder s = new StringBuilder(256);
        if (frame instanceof AgentFrame.Hello h) {
            type(s, "hello").append(",\"protocol\":").append(h.protocol());
            str(s, "name", h.name());
            s.append(",\"labels\":");
            stringMap(s, h.labels());
            str(s, "incarnation", h.incarnation());
            str(s, "boot_id", h.bootId());
            str(s, "kernel", h.kernel());
            str(s, "arch", h.arch());
            str(s, "agent_version", h.agentVersion());
            str(s, "backend", h.backend());
            s.append(",\"backends\":[");
            for (int i = 0; i < h.backends().size(); i++) {
                AgentFrame.Backend b = h.backends().get(i);
                s.append(i > 0 ? ",{" : "{").append("\"name\":");
                JsonText.append(s, b.name());
                s.append(",\"available\":").append(b.available());
                str(s, "reason", b.reason());
                s.append('}');
            }
            s.append("],\"max_sessions\":").append(h.maxSessions());
            s.append(",\"sessions\":").append(longList(h.sessions()));
        } else if (frame instanceof AgentFrame.Pong p) {
            type(s, "pong").append(",\"id\":").append(p.id());
            str(s, "agent_time", UtcTimestamp.format(p.agentTime()));
        } else if (frame instanceof AgentFrame.Heartbeat h) {
            type(s, "heartbeat");
            str(s, "time", UtcTimestamp.format(h.time()));
            s.append(",\"sessions\":[");
            for (int i = 0; i < h.sessions().size(); i++) {
                AgentFrame.SessionStatus st = h.sessions().get(i);
                s.append(i > 0 ? ",{" : "{").append("\"session\":").append(st.session());
                str(s, "state", st.state());
                s.append(",\"matched\":").append(st.matched()).append(",\"sent\":").append(st.sent());
                s.append(",\"lost\":");
                counts(s, st.lost());
                s.append('}');
            }
            s.append("],\"buffered_events\":").append(h.bufferedEvents());
            s.append(",\"buffer_lost\":").append(h.bufferLost());
        } else if (frame instanceof AgentFrame.Armed a) {
            type(s, "armed").append(",\"session\":").append(a.session());
            str(s, "backend", a.backend());
            s.append(",\"probes\":").append(a.probes()).append(",\"not_traced\":");
            stringList(s, a.notTraced());
        } else if (frame instanceof AgentFrame.ArmFailed f) {
            type(s, "arm_failed").append(",\"session\":").append(f.session());
            str(s, "reason", f.reason());
        }
        return s.append('}').toString();
    }

    /** The JSON text of a server frame. */
    public static String encode(ServerFrame frame) {
        StringBuilder s = new StringBuilder(128);
        if (frame instanceof ServerFrame.Welcome w) {
            type(s, "welcome").append(",\"host\":").append(w.host())
                .append(",\"acked_seq\":").append(w.ackedSeq())
                .append(",\"heartbeat_millis\":").append(w.heartbeatMillis());
        } else if (frame instanceof ServerFrame.Reject r) {
            str(type(s, "reject"), "reason", r.reason());
        } else if (frame instanceof ServerFrame.Ping p) {
            type(s, "ping").append(",\"id\":").append(p.id());
        } else if (frame instanceof ServerFrame.Ack a) {
            type(s, "ack").append(",\"seq\":").append(a.seq());
        } else if (frame instanceof ServerFrame.Arm a) {
            type(s, "arm").append(",\"session\":").append(a.session());
            str(s, "filter", a.filter());
            s.append(",\"options\":");
            stringMap(s, a.options());
            s.append(",\"max_events\":").append(a.maxEvents());
            str(s, "deadline", a.deadline() == null ? null : UtcTimestamp.format(a.deadline()));
        } else if (frame instanceof ServerFrame.Start st) {
            type(s, "start").append(",\"session\":").append(st.session());
        } else if (frame instanceof ServerFrame.Stop st) {
            type(s, "stop").append(",\"session\":").append(st.session());
        } else if (frame instanceof ServerFrame.Update u) {
            type(s, "update").append(",\"session\":").append(u.session()).append(",\"options\":");
            stringMap(s, u.options());
        }
        return s.append('}').toString();
    }

    private static StringBuilder type(StringBuilder s, String type) {
        return s.append("{\"type\":\"").append(type).append('"');
    }

    private static StringBuilder str(StringBuilder s, String name, String value) {
        s.append(",\"").append(name).append("\":");
        JsonText.appendNullable(s, value);
        return s;
    }

    private static void stringMap(StringBuilder s, Map<String, String> map) {
        s.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(map).entrySet()) {
            s.append(first ? "" : ",");
            JsonText.append(s, e.getKey());
            s.append(':');
            JsonText.append(s, e.getValue());
            first = false;
        }
        s.append('}');
    }

    private static void counts(StringBuilder s, Map<String, Long> map) {
        s.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(map).entrySet()) {
            s.append(first ? "" : ",");
            JsonText.append(s, e.getKey());
            s.append(':').append(e.getValue());
            first = false;
        }
        s.append('}');
    }

    private static void stringList(StringBuilder s, List<String> list) {
        s.append('[');
        for (int i = 0; i < list.size(); i++) {
            s.append(i > 0 ? "," : "");
            JsonText.append(s, list.get(i));
        }
        s.append(']');
    }

    private static String longList(List<Long> list) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            s.append(i > 0 ? "," : "").append(list.get(i));
        }
        return s.append(']').toString();
    }
}
