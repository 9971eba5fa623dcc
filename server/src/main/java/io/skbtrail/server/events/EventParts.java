package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.JsonText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event's {@code encap} and {@code ct} objects as stored ({@code events.encap}, {@code events.ct}): the JSON
 * the agent's contract gives them, written and read back here. They are rare (VXLAN, NAT), so a text column each
 * instead of a dozen mostly empty ones.
 */
final class EventParts {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventParts() {}

    static String encapJson(Event.Encap encap) {
        if (encap == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(160).append("{\"type\":");
        JsonText.append(sb, encap.type());
        sb.append(",\"vni\":").append(encap.vni()).append(",\"tuple\":");
        Event.Tuple t = encap.tuple();
        if (t == null) {
            sb.append("null");
        } else {
            sb.append("{\"saddr\":");
            JsonText.append(sb, t.saddr());
            sb.append(",\"daddr\":");
            JsonText.append(sb, t.daddr());
            sb.append(",\"sport\":").append(t.sport()).append(",\"dport\":").append(t.dport()).append(",\"proto\":");
            JsonText.append(sb, t.proto());
            sb.append(",\"tcp_flags\":");
            JsonText.append(sb, t.tcpFlags());
            sb.append('}');
        }
        sb.append(",\"icmp\":");
        Event.Icmp icmp = encap.icmp();
        if (icmp == null) {
            sb.append("null");
        } else {
            sb.append("{\"type\":").append(icmp.type()).append(",\"code\":").append(icmp.code()).append(",\"id\":")
                    .append(icmp.id()).append(",\"seq\":").append(icmp.seq()).append('}');
        }
        return sb.append('}').toString();
    }

    static String ctJson(Event.Conntrack ct) {
        if (ct == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(200).append("{\"dir\":\"").append(ct.dir().wireName()).append("\",\"orig\":");
        ctTuple(sb, ct.orig());
        sb.append(",\"reply\":");
        ctTuple(sb, ct.reply());
        return sb.append('}').toString();
    }

    private static void ctTuple(StringBuilder sb, Event.CtTuple t) {
        sb.append("{\"saddr\":");
        JsonText.append(sb, t.saddr());
        sb.append(",\"daddr\":");
        JsonText.append(sb, t.daddr());
        sb.append(",\"sport\":").append(t.sport()).append(",\"dport\":").append(t.dport()).append(",\"proto\":");
        JsonText.append(sb, t.proto());
        sb.append('}');
    }

    static Event.Encap encap(String json) {
        if (json == null) {
            return null;
        }
        JsonNode n = JSON.readTree(json);
        JsonNode t = n.get("tuple");
        Event.Tuple tuple = t == null || t.isNull() ? null : new Event.Tuple(t.get("saddr").asString(),
                t.get("daddr").asString(), t.get("sport").asInt(), t.get("dport").asInt(), t.get("proto").asString(),
                t.get("tcp_flags").asString());
        JsonNode i = n.get("icmp");
        Event.Icmp icmp = i == null || i.isNull() ? null
                : new Event.Icmp(i.get("type").asInt(), i.get("code").asInt(), i.get("id").asInt(), i.get("seq").asInt());
        return new Event.Encap(n.get("type").asString(), n.get("vni").asLong(), tuple, icmp);
    }

    static Event.Conntrack ct(String json) {
        if (json == null) {
            return null;
        }
        JsonNode n = JSON.readTree(json);
        return new Event.Conntrack(Event.Conntrack.Direction.fromWireName(n.get("dir").asString()),
                ctTuple(n.get("orig")), ctTuple(n.get("reply")));
    }

    private static Event.CtTuple ctTuple(JsonNode t) {
        return new Event.CtTuple(t.get("saddr").asString(), t.get("daddr").asString(), t.get("sport").asInt(),
                t.get("dport").asInt(), t.get("proto").asString());
    }
}
