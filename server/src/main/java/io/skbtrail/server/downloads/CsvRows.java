package io.skbtrail.server.downloads;

import io.skbtrail.protocol.Event;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Events as CSV (RFC 4180): a header row, then one row per event, CRLF line ends. A field with a comma, a
 * quote or a line break is quoted, its quotes doubled. Text that came from a host (process names, interface
 * names, symbols, dumps) and starts with {@code = + - @}, a tab or a carriage return gets a leading
 * apostrophe, so that a spreadsheet shows it instead of running it as a formula (a process may name itself
 * {@code =HYPERLINK(…)}).
 */
final class CsvRows {
    static final List<String> COLUMNS = List.of("time", "host", "session", "seq", "ktime_ns", "boot_id", "cpu",
            "process", "pid", "skb", "packet_id", "probe_type", "func", "location", "drop_reason", "netns", "mark",
            "ifindex", "iface", "proto", "mtu", "len", "saddr", "daddr", "sport", "dport", "l4_proto", "tcp_flags",
            "icmp_type", "icmp_code", "icmp_id", "icmp_seq", "caller", "stack", "packet", "skb_dump", "fp_ip_id",
            "fp_tcp_seq", "fp_tcp_ack", "fp_payload_len", "fp_payload_hash", "fp_payload_hashed", "encap", "ct");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CsvRows() {}

    static void header(StringBuilder out) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(COLUMNS.get(i));
        }
        out.append("\r\n");
    }

    static void row(StringBuilder out, Event e, String host, long session) {
        out.append(TIME.format(e.time()));
        text(out, host);
        out.append(',').append(session).append(',').append(e.seq()).append(',').append(e.ktimeNs());
        text(out, e.bootId());
        out.append(',').append(e.cpu());
        text(out, e.process());
        out.append(',').append(e.pid());
        text(out, e.skb());
        out.append(',').append(e.packetId());
        text(out, e.probeType().wireName());
        text(out, e.func());
        text(out, e.location());
        text(out, e.dropReason());
        out.append(',').append(e.netns()).append(',').append(e.mark()).append(',').append(e.ifindex());
        text(out, e.iface());
        out.append(',').append(e.proto()).append(',').append(e.mtu()).append(',').append(e.len());
        Event.Tuple t = e.tuple();
        if (t == null) {
            out.append(",,,,,,");
        } else {
            text(out, t.saddr());
            text(out, t.daddr());
            out.append(',').append(t.sport()).append(',').append(t.dport());
            text(out, t.proto());
            text(out, t.tcpFlags());
        }
        Event.Icmp icmp = e.icmp();
        if (icmp == null) {
            out.append(",,,,");
        } else {
            out.append(',').append(icmp.type()).append(',').append(icmp.code()).append(',').append(icmp.id())
                    .append(',').append(icmp.seq());
        }
        text(out, e.caller());
        text(out, e.stack() == null ? null : String.join(";", e.stack()));
        text(out, e.packet());
        text(out, e.skbDump());
        Event.Fingerprint fp = e.fp();
        if (fp == null) {
            out.append(",,,,,,");
        } else {
            number(out, fp.ipId());
            number(out, fp.tcpSeq());
            number(out, fp.tcpAck());
            number(out, fp.payloadLen());
            text(out, fp.payloadHash());
            out.append(',').append(fp.payloadHashed());
        }
        text(out, e.encap() == null ? null : ENCODER.get().encap(e));
        text(out, e.ct() == null ? null : ENCODER.get().ct(e));
        out.append("\r\n");
    }

    private static void number(StringBuilder out, Number n) {
        out.append(',');
        if (n != null) {
            out.append(n.longValue());
        }
    }

    /** The encap and ct objects as the event's JSON gives them (one encoder per thread: it is not thread-safe). */
    private static final ThreadLocal<ObjectText> ENCODER = ThreadLocal.withInitial(ObjectText::new);

    private static final class ObjectText {
        private final io.skbtrail.protocol.EventJson json = new io.skbtrail.protocol.EventJson();
        private final StringBuilder sb = new StringBuilder(2048);

        String encap(Event e) {
            return field(e, ",\"encap\":", ",\"ct\":");
        }

        String ct(Event e) {
            return field(e, ",\"ct\":", null);
        }

        /** The value between two keys of the event's JSON (the object's end when {@code next} is null). */
        private String field(Event e, String key, String next) {
            sb.setLength(0);
            json.appendTo(sb, e);
            int from = sb.lastIndexOf(key) + key.length();
            int to = next == null ? sb.length() - 1 : sb.lastIndexOf(next);
            return sb.substring(from, to);
        }
    }

    /** A comma and a text field, quoted and defused as needed; nothing after the comma for null. */
    static void text(StringBuilder out, String s) {
        out.append(',');
        if (s == null || s.isEmpty()) {
            return;
        }
        char first = s.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        boolean quote = formula;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.append(s);
            return;
        }
        out.append('"');
        if (formula) {
            out.append('\'');
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
