package io.skbtrail.protocol;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encoder for the NDJSON form of event contract v1: one JSON object per record, {@code "type"} first,
 * snake_case names in a fixed order, every field always present (zeros and nulls included).
 *
 * <pre>{@code
 * EventJson json = new EventJson();
 * json.appendTo(line, event).append('\n');
 * }</pre>
 *
 * <p>Writes straight into the caller's {@link StringBuilder}: no reflection, no intermediate objects on
 * the event path. Times are RFC 3339 UTC with nine fraction digits; strings are escaped as described in
 * {@code JsonText} (control characters, quotes, backslash, {@code <>&}). An instance keeps a small cache
 * and is not thread-safe: use one per thread. {@link EventJsonParser} reads the lines back.
 */
public final class EventJson {

    private final UtcTimestamp timestamp = new UtcTimestamp();

    /** Appends the JSON object of any record (no line terminator) and returns {@code sb}. */
    public StringBuilder appendTo(StringBuilder sb, WireRecord record) {
        if (record instanceof Event event) {
            return appendTo(sb, event);
        }
        if (record instanceof LossRecord loss) {
            return appendTo(sb, loss);
        }
        return appendTo(sb, (SummaryRecord) record);
    }

    /** Appends a time as the records have it (RFC 3339 UTC, nine fraction digits, no quotes); returns {@code sb}. */
    public StringBuilder appendTime(StringBuilder sb, java.time.Instant time) {
        timestamp.append(sb, time);
        return sb;
    }

    /** Appends the JSON object of an event (no line terminator) and returns {@code sb}. */
    public StringBuilder appendTo(StringBuilder sb, Event e) {
        sb.append("{\"type\":\"event\",\"time\":\"");
        timestamp.append(sb, e.time());
        sb.append("\",\"ktime_ns\":").append(e.ktimeNs());
        sb.append(",\"boot_id\":");
        JsonText.append(sb, e.bootId());
        sb.append(",\"seq\":").append(e.seq());
        sb.append(",\"cpu\":").append(e.cpu());
        sb.append(",\"process\":");
        JsonText.append(sb, e.process());
        sb.append(",\"pid\":").append(e.pid());
        sb.append(",\"skb\":");
        JsonText.append(sb, e.skb());
        sb.append(",\"packet_id\":").append(e.packetId());
        sb.append(",\"probe_type\":\"").append(e.probeType().wireName());
        sb.append("\",\"func\":");
        JsonText.append(sb, e.func());
        sb.append(",\"location\":");
        JsonText.appendNullable(sb, e.location());
        sb.append(",\"drop_reason\":");
        JsonText.appendNullable(sb, e.dropReason());
        sb.append(",\"netns\":").append(e.netns());
        sb.append(",\"mark\":").append(e.mark());
        sb.append(",\"ifindex\":").append(e.ifindex());
        sb.append(",\"iface\":");
        JsonText.appendNullable(sb, e.iface());
        sb.append(",\"proto\":").append(e.proto());
        sb.append(",\"mtu\":").append(e.mtu());
        sb.append(",\"len\":").append(e.len());
        sb.append(",\"tuple\":");
        appendTuple(sb, e.tuple());
        sb.append(",\"icmp\":");
        appendIcmp(sb, e.icmp());
        sb.append(",\"stack\":");
        appendStack(sb, e.stack());
        sb.append(",\"skb_dump\":");
        JsonText.appendNullable(sb, e.skbDump());
        sb.append(",\"packet\":");
        JsonText.appendNullable(sb, e.packet());
        sb.append(",\"caller\":");
        JsonText.appendNullable(sb, e.caller());
        sb.append(",\"fp\":");
        appendFingerprint(sb, e.fp());
        sb.append(",\"encap\":");
        appendEncap(sb, e.encap());
        sb.append(",\"ct\":");
        appendConntrack(sb, e.ct());
        return sb.append('}');
    }

    private static void appendFingerprint(StringBuilder sb, Event.Fingerprint fp) {
        if (fp == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"ip_id\":");
        appendNullable(sb, fp.ipId());
        sb.append(",\"tcp_seq\":");
        appendNullable(sb, fp.tcpSeq());
        sb.append(",\"tcp_ack\":");
        appendNullable(sb, fp.tcpAck());
        sb.append(",\"payload_len\":");
        appendNullable(sb, fp.payloadLen());
        sb.append(",\"payload_hash\":");
        JsonText.appendNullable(sb, fp.payloadHash());
        sb.append(",\"payload_hashed\":").append(fp.payloadHashed());
        sb.append('}');
    }

    private static void appendNullable(StringBuilder sb, Number n) {
        if (n == null) {
            sb.append("null");
        } else {
            sb.append(n.longValue());
        }
    }

    /** The {@code encap} object as the event line carries it, or null for none (the server stores this text). */
    public static String encapJson(Event.Encap encap) {
        if (encap == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(160);
        appendEncap(sb, encap);
        return sb.toString();
    }

    /** The {@code ct} object as the event line carries it, or null for none (the server stores this text). */
    public static String conntrackJson(Event.Conntrack ct) {
        if (ct == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(200);
        appendConntrack(sb, ct);
        return sb.toString();
    }

    private static void appendEncap(StringBuilder sb, Event.Encap encap) {
        if (encap == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"type\":");
        JsonText.append(sb, encap.type());
        sb.append(",\"vni\":").append(encap.vni());
        sb.append(",\"tuple\":");
        appendTuple(sb, encap.tuple());
        sb.append(",\"icmp\":");
        appendIcmp(sb, encap.icmp());
        sb.append('}');
    }

    private static void appendConntrack(StringBuilder sb, Event.Conntrack ct) {
        if (ct == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"dir\":\"").append(ct.dir().wireName());
        sb.append("\",\"orig\":");
        appendCtTuple(sb, ct.orig());
        sb.append(",\"reply\":");
        appendCtTuple(sb, ct.reply());
        sb.append('}');
    }

    private static void appendCtTuple(StringBuilder sb, Event.CtTuple t) {
        appendAddressesPortsProto(sb, t.saddr(), t.daddr(), t.sport(), t.dport(), t.proto());
        sb.append('}');
    }

    private static void appendTuple(StringBuilder sb, Event.Tuple t) {
        if (t == null) {
            sb.append("null");
            return;
        }
        appendAddressesPortsProto(sb, t.saddr(), t.daddr(), t.sport(), t.dport(), t.proto());
        sb.append(",\"tcp_flags\":");
        JsonText.append(sb, t.tcpFlags());
        sb.append('}');
    }

    /** The fields a packet's tuple and conntrack's share, from the object's opening brace on. */
    private static void appendAddressesPortsProto(StringBuilder sb, String saddr, String daddr, int sport, int dport,
            String proto) {
        sb.append("{\"saddr\":");
        JsonText.append(sb, saddr);
        sb.append(",\"daddr\":");
        JsonText.append(sb, daddr);
        sb.append(",\"sport\":").append(sport);
        sb.append(",\"dport\":").append(dport);
        sb.append(",\"proto\":");
        JsonText.append(sb, proto);
    }

    private static void appendIcmp(StringBuilder sb, Event.Icmp icmp) {
        if (icmp == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"type\":").append(icmp.type())
                .append(",\"code\":").append(icmp.code())
                .append(",\"id\":").append(icmp.id())
                .append(",\"seq\":").append(icmp.seq())
                .append('}');
    }

    private static void appendStack(StringBuilder sb, List<String> stack) {
        if (stack == null) {
            sb.append("null");
            return;
        }
        sb.append('[');
        for (int i = 0, n = stack.size(); i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.appendNullable(sb, stack.get(i));
        }
        sb.append(']');
    }

    /** Appends the JSON object of a loss record (no line terminator) and returns {@code sb}. */
    public StringBuilder appendTo(StringBuilder sb, LossRecord loss) {
        sb.append("{\"type\":\"loss\",\"time\":\"");
        timestamp.append(sb, loss.time());
        sb.append("\",\"hop\":");
        JsonText.append(sb, loss.hop());
        sb.append(",\"count\":").append(loss.count());
        sb.append(",\"total\":").append(loss.total());
        return sb.append('}');
    }

    /** Appends the JSON object of a summary (no line terminator), {@code lost} sorted by hop name. */
    public StringBuilder appendTo(StringBuilder sb, SummaryRecord summary) {
        sb.append("{\"type\":\"summary\",\"time\":\"");
        timestamp.append(sb, summary.time());
        sb.append("\",\"backend\":");
        JsonText.append(sb, summary.backend());
        sb.append(",\"probes\":").append(summary.probes());
        sb.append(",\"matched\":").append(summary.matched());
        sb.append(",\"delivered\":").append(summary.delivered());
        sb.append(",\"printed\":").append(summary.printed());
        sb.append(",\"lost\":{");
        boolean first = true;
        for (Map.Entry<String, Long> hop : new TreeMap<>(summary.lost()).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            JsonText.append(sb, hop.getKey());
            sb.append(':').append(hop.getValue().longValue());
        }
        sb.append("},\"duration_ns\":").append(summary.durationNs());
        return sb.append('}');
    }

    /** The JSON object of a record as a string, without a line terminator. */
    public String toJson(WireRecord record) {
        return appendTo(new StringBuilder(512), record).toString();
    }
}
