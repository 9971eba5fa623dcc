package io.skbtrail.server.live;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.JsonText;

/**
 * An event in the live stream's compact form, for viewers that subscribe with {@code "compact":true} (the
 * dashboard): only what a list of events shows and searches, and what opens a packet's path — {@code time,
 * host, cpu, process, pid, skb, packet_id, func, location, drop_reason, netns, ifindex, iface, len, tuple
 * (saddr, daddr, sport, dport, proto), seq} — with the same names and values as the full form, and
 * {@code location}, {@code drop_reason}, {@code iface} and {@code tuple} left out when null. About half the bytes
 * of the full form (more when stacks or packet bytes are captured): less to encode, send, and parse in the
 * browser at tens of thousands of events a second. The rest is in the events API.
 */
final class CompactEvent {
    private CompactEvent() {}

    static String json(EventJson encoder, Event e, String host, long seq) {
        StringBuilder out = new StringBuilder(384).append("{\"time\":\"");
        encoder.appendTime(out, e.time()).append("\",\"host\":");
        JsonText.appendNullable(out, host);
        out.append(",\"cpu\":").append(e.cpu()).append(",\"process\":");
        JsonText.append(out, e.process());
        out.append(",\"pid\":").append(e.pid()).append(",\"skb\":");
        JsonText.append(out, e.skb());
        out.append(",\"packet_id\":").append(e.packetId()).append(",\"func\":");
        JsonText.append(out, e.func());
        if (e.location() != null) {
            out.append(",\"location\":");
            JsonText.append(out, e.location());
        }
        if (e.dropReason() != null) {
            out.append(",\"drop_reason\":");
            JsonText.append(out, e.dropReason());
        }
        out.append(",\"netns\":").append(e.netns()).append(",\"ifindex\":").append(e.ifindex());
        if (e.iface() != null) {
            out.append(",\"iface\":");
            JsonText.append(out, e.iface());
        }
        out.append(",\"len\":").append(e.len());
        Event.Tuple t = e.tuple();
        if (t != null) {
            out.append(",\"tuple\":{\"saddr\":");
            JsonText.append(out, t.saddr());
            out.append(",\"daddr\":");
            JsonText.append(out, t.daddr());
            out.append(",\"sport\":").append(t.sport()).append(",\"dport\":").append(t.dport()).append(",\"proto\":");
            JsonText.append(out, t.proto());
            out.append('}');
        }
        return out.append(",\"seq\":").append(seq).append('}').toString();
    }
}
