package io.skbtrail.agent.event;

import static io.skbtrail.agent.event.RawEventLayout.*;

import io.skbtrail.protocol.Event;
import java.nio.ByteBuffer;

/**
 * Conntrack's tuples of a NATed packet, as the probe copied them from the skb's conntrack entry into
 * struct event_ct (bpf/include/conntrack.h): addresses as 16 bytes (IPv4 in the first four), ports in
 * network order, ICMP's echo id in the source port.
 */
final class ConntrackTuples {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private ConntrackTuples() {}

    /** The record's {@code ct}, or null when it has none (no FLAG_CT, too short, an unknown family). */
    static Event.Conntrack decode(ByteBuffer b, int at, int length, int flags) {
        if ((flags & FLAG_CT) == 0 || length < CT + CT_SIZE) {
            return null;
        }
        int ct = at + CT;
        int family = Short.toUnsignedInt(b.getShort(ct + CT_L3NUM));
        if (family != AF_INET && family != AF_INET6) {
            return null;
        }
        int proto = b.get(ct + CT_PROTONUM) & 0xff;
        Event.CtTuple orig = tuple(b, ct + CT_ORIG_SADDR, ct + CT_ORIG_DADDR, ct + CT_ORIG_SPORT, ct + CT_ORIG_DPORT,
                family, proto);
        Event.CtTuple reply = tuple(b, ct + CT_REPLY_SADDR, ct + CT_REPLY_DADDR, ct + CT_REPLY_SPORT,
                ct + CT_REPLY_DPORT, family, proto);
        Event.Conntrack.Direction dir = b.get(ct + CT_DIR) == 0 ? Event.Conntrack.Direction.ORIGINAL
                : Event.Conntrack.Direction.REPLY;
        return new Event.Conntrack(dir, orig, reply);
    }

    private static Event.CtTuple tuple(ByteBuffer b, int saddr, int daddr, int sport, int dport, int family,
            int proto) {
        boolean icmp = proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
        return new Event.CtTuple(address(b, saddr, family), address(b, daddr, family), port(b, sport),
                icmp ? 0 : port(b, dport), PacketHeaders.protoName(proto));
    }

    /** A port in network byte order (the record is otherwise little-endian). */
    private static int port(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    private static String address(ByteBuffer b, int at, int family) {
        byte[] bytes = new byte[16];
        b.get(at, bytes, 0, 16);
        if (family == AF_INET) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return PacketHeaders.ipv6Text(bytes, 0);
    }
}
