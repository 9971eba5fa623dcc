package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Clocks;
import io.skbtrail.server.journeys.JoinKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns contract v1 events into rows of the {@code events} table, checking first every value PostgreSQL
 * would refuse, so that a COPY never fails half-way on an agent's data.
 */
final class EventRows {
    /** The COPY column list; {@code id} comes from its sequence. */
    static final String COLUMNS = "session_id, host_id, time_ns, ktime_ns, boot_id, seq, cpu, process, pid, skb, "
            + "packet_id, probe_type, func, location, drop_reason, netns, mark, ifindex, iface, proto, mtu, len, "
            + "saddr, daddr, sport, dport, l4_proto, tcp_flags, icmp_type, icmp_code, icmp_id, icmp_seq, stack, "
            + "skb_dump, packet, caller, fp_ip_id, fp_tcp_seq, fp_tcp_ack, fp_payload_len, fp_payload_hash, "
            + "fp_payload_hashed, encap, ct, join_key, alt_key, flow_key";

    // Checked by hand, not with regular expressions: these run for every stored event.

    private EventRows() {}

    /** Appends one row. @throws IllegalArgumentException naming the field PostgreSQL would refuse */
    static void append(StringBuilder out, long session, long host, Event e) {
        CopyText row = new CopyText(out);
        row.number(session).number(host).number(timeNs(e)).number(e.ktimeNs())
                .text(uuid(e.bootId())).number(e.seq()).number(e.cpu()).text(e.process()).number(e.pid())
                .number(skb(e.skb())).number(e.packetId()).number(e.probeType().ordinal()).text(e.func())
                .text(e.location()).text(e.dropReason()).number(e.netns()).number(e.mark()).number(e.ifindex())
                .text(e.iface()).number(e.proto()).number(e.mtu()).number(e.len());
        Event.Tuple t = e.tuple();
        if (t == null) {
            row.text(null).text(null).text(null).text(null).text(null).text(null);
        } else {
            row.text(ip(t.saddr(), "tuple.saddr")).text(ip(t.daddr(), "tuple.daddr")).number(t.sport())
                    .number(t.dport()).text(t.proto()).text(t.tcpFlags());
        }
        Event.Icmp icmp = e.icmp();
        if (icmp == null) {
            row.text(null).text(null).text(null).text(null);
        } else {
            row.number(icmp.type()).number(icmp.code()).number(icmp.id()).number(icmp.seq());
        }
        row.textArray(e.stack()).text(e.skbDump()).hexBytes(packet(e.packet())).text(e.caller());
        Event.Fingerprint fp = e.fp();
        if (fp == null) {
            row.text(null).text(null).text(null).text(null).text(null).text(null);
        } else {
            row.nullableNumber(fp.ipId()).nullableNumber(fp.tcpSeq()).nullableNumber(fp.tcpAck())
                    .nullableNumber(fp.payloadLen())
                    .nullableNumber(fp.payloadHash() == null ? null : Long.parseUnsignedLong(fp.payloadHash(), 16))
                    .number(fp.payloadHashed());
        }
        checkAddresses(e);
        row.text(EventJson.encapJson(e.encap())).text(EventJson.conntrackJson(e.ct()));
        JoinKeys.Keys keys = JoinKeys.of(e, KEY_ADDRESS);
        row.nullableNumber(keys.join()).nullableNumber(keys.alt()).nullableNumber(keys.flow());
        row.endRow();
    }

    /** The event's time in nanoseconds since the epoch: what a bigint holds, the years 1677 to 2262. */
    static long timeNs(Event e) {
        try {
            return Clocks.epochNanos(e.time());
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("event.time: outside the years 1677..2262 that the database stores");
        }
    }

    /** The addresses of the inner packet and of conntrack's tuples: they go into the join keys. */
    private static void checkAddresses(Event e) {
        if (e.encap() != null && e.encap().tuple() != null) {
            ip(e.encap().tuple().saddr(), "encap.tuple.saddr");
            ip(e.encap().tuple().daddr(), "encap.tuple.daddr");
        }
        if (e.ct() != null) {
            ip(e.ct().orig().saddr(), "ct.orig.saddr");
            ip(e.ct().orig().daddr(), "ct.orig.daddr");
            ip(e.ct().reply().saddr(), "ct.reply.saddr");
            ip(e.ct().reply().daddr(), "ct.reply.daddr");
        }
    }

    /** Addresses in join keys: the stored text (checked before, see checkAddresses). */
    private static final java.util.function.UnaryOperator<String> KEY_ADDRESS = a -> ip(a, "address");

    private static String uuid(String bootId) {
        if (!isUuid(bootId)) {
            throw new IllegalArgumentException("event.boot_id: expected a UUID (/proc/sys/kernel/random/boot_id)");
        }
        return bootId;
    }

    private static long skb(String skb) {
        if (!skb.startsWith("0x") || skb.length() < 3 || skb.length() > 18) {
            throw new IllegalArgumentException("event.skb: expected 0x and up to 16 hex digits");
        }
        try {
            return Long.parseUnsignedLong(skb.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("event.skb: expected 0x and up to 16 hex digits");
        }
    }

    /**
     * The canonical text of an IP literal. Never a name lookup: an IPv4 address is checked octet by octet
     * here, and text with a colon is only ever parsed as an IPv6 literal by {@link InetAddress}.
     */
    static String ip(String text, String field) {
        if (text.length() < 2 || text.length() > 45 || !allOf(text, "0123456789abcdefABCDEF:.")) {
            throw new IllegalArgumentException("event." + field + ": not an IP address");
        }
        if (text.indexOf(':') < 0) {
            if (!isIpv4(text)) {
                throw new IllegalArgumentException("event." + field + ": not an IP address");
            }
            return text;
        }
        try {
            return InetAddress.getByName(text).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("event." + field + ": not an IP address");
        }
    }

    /** Four decimal octets 0..255 without leading zeros, separated by dots. */
    private static boolean isIpv4(String text) {
        int octets = 0;
        int i = 0;
        while (i <= text.length()) {
            int start = i;
            int value = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == text.length()) {
                break;
            }
            if (text.charAt(i) != '.') {
                return false;
            }
            i++;
        }
        return octets == 4;
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : "0123456789abcdefABCDEF".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOf(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String packet(String hex) {
        if (hex != null && (hex.length() % 2 != 0 || !allOf(hex, "0123456789abcdef"))) {
            throw new IllegalArgumentException("event.packet: expected lower-case hex bytes");
        }
        return hex;
    }
}
