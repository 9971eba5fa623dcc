package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.server.agents.Clocks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns contract v1 events into rows of the {@code events} table, checking first every value PostgreSQL
 * would refuse, so that a COPY never fails half-way on an agent's data.
 */
final class EventRows {
    /** The COPY column list; {@code id} comes from its sequence. */
    static final String COLUMNS = "session_id, host_id, time_ns, ktime_ns, boot_id, seq, cpu, process, pid, skb, "
            + "packet_id, probe_type, func, location, drop_reason, netns, mark, ifindex, iface, proto, mtu, len, "
            + "saddr, daddr, sport, dport, l4_proto, tcp_flags, icmp_type, icmp_code, icmp_id, icmp_seq, stack, "
            + "skb_dump, packet, caller";

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-f]{2})*");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private EventRows() {}

    /** Appends one row. @throws IllegalArgumentException naming the field PostgreSQL would refuse */
    static void append(StringBuilder out, long session, long host, Event e) {
        CopyText row = new CopyText(out);
        row.number(session).number(host).number(Clocks.epochNanos(e.time())).number(e.ktimeNs())
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
        row.endRow();
    }

    private static String uuid(String bootId) {
        if (!UUID_TEXT.matcher(bootId).matches()) {
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
        if (!IP_LITERAL.matcher(text).matches()) {
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

    private static boolean isIpv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255
                    || (o.length() > 1 && o.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    private static String packet(String hex) {
        if (hex != null && !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("event.packet: expected lower-case hex bytes");
        }
        return hex;
    }

    static UUID bootUuid(String text) {
        return UUID.fromString(text);
    }
}
