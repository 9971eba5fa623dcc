package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event's {@code encap} and {@code ct} objects as stored ({@code events.encap}, {@code events.ct}): the JSON
 * the agent's contract gives them, written by {@code EventJson} and read back here. They are rare (VXLAN,
 * NAT), so a text column each instead of a dozen mostly empty ones.
 */
final class EventParts {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventParts() {}

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
