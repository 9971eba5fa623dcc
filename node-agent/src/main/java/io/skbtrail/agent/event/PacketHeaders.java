package io.skbtrail.agent.event;

import io.skbtrail.protocol.Event.Encap;
import io.skbtrail.protocol.Event.Fingerprint;
import io.skbtrail.protocol.Event.Icmp;
import io.skbtrail.protocol.Event.Tuple;
import java.nio.ByteBuffer;

/**
 * Parses the tuple, ICMP fields, packet fingerprint and VXLAN inner packet from the packet bytes an event
 * carries (Ethernet with up to two VLAN tags, IPv4, IPv6 with extension headers, TCP, UDP, ICMP, ICMPv6,
 * VXLAN). Parsing here rather than in the kernel keeps the probes short; it only costs for events that
 * matched. The bytes are the skb's linear data from the packet's start, at most what the probe copied:
 * nothing past them is guessed (README, "Packet fingerprint").
 */
public final class PacketHeaders {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    /** IANA's VXLAN port, and Linux's default when {@code ip link add … type vxlan} is given no dstport. */
    static final int VXLAN_PORT = 4789;
    static final int VXLAN_PORT_LINUX = 8472;
    private static final int VXLAN_HLEN = 8;
    private static final String[] TCP_FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    /** The parsed headers; any part may be null. For VXLAN, {@code fp} is the inner packet's. */
    public record Parsed(Tuple tuple, Icmp icmp, Fingerprint fp, Encap encap) {
        public static final Parsed NONE = new Parsed(null, null, null, null);
    }

    private PacketHeaders() {}

    /**
     * @param l2 the bytes start with an Ethernet header, else with the IP header
     */
    public static Parsed parse(ByteBuffer buf, int offset, int length, boolean l2) {
        byte[] p = new byte[length];
        buf.get(offset, p, 0, length);
        return parse(p, l2);
    }

    public static Parsed parse(byte[] p, boolean l2) {
        return parse(p, 0, l2, true);
    }

    /** The packet starting at {@code from}; {@code outer} is false inside a VXLAN packet (no nesting). */
    private static Parsed parse(byte[] p, int from, boolean l2, boolean outer) {
        int l3 = from;
        if (l2) {
            if (p.length < from + 14) {
                return Parsed.NONE;
            }
            int type = u16(p, from + 12);
            l3 = from + 14;
            for (int tags = 0; tags < 2 && (type == ETH_P_8021Q || type == ETH_P_8021AD); tags++) {
                if (p.length < l3 + 4) {
                    return Parsed.NONE;
                }
                type = u16(p, l3 + 2);
                l3 += 4;
            }
            if (type != ETH_P_IP && type != ETH_P_IPV6) {
                return Parsed.NONE;
            }
        }
        if (p.length < l3 + 1) {
            return Parsed.NONE;
        }
        int version = (p[l3] & 0xff) >> 4;
        return version == 4 ? ipv4(p, l3, outer) : version == 6 ? ipv6(p, l3, outer) : Parsed.NONE;
    }

    private static Parsed ipv4(byte[] p, int l3, boolean outer) {
        if (p.length < l3 + 20) {
            return Parsed.NONE;
        }
        int ihl = (p[l3] & 0x0f) * 4;
        int totalLength = u16(p, l3 + 2);
        int proto = p[l3 + 9] & 0xff;
        boolean firstFragment = (u16(p, l3 + 6) & 0x1fff) == 0;
        String saddr = address(p, l3 + 12, 4);
        String daddr = address(p, l3 + 16, 4);
        // tot_len 0 (BIG TCP) or shorter than the header: the payload's length is unknown.
        int ipPayload = ihl >= 20 && totalLength >= ihl ? totalLength - ihl : -1;
        IpFacts ip = new IpFacts(saddr, daddr, proto, firstFragment, u16(p, l3 + 4), ipPayload);
        return transport(p, l3 + ihl, ip, outer);
    }

    private static Parsed ipv6(byte[] p, int l3, boolean outer) {
        if (p.length < l3 + 40) {
            return Parsed.NONE;
        }
        String saddr = address(p, l3 + 8, 16);
        String daddr = address(p, l3 + 24, 16);
        int payloadLength = u16(p, l3 + 4);
        int next = p[l3 + 6] & 0xff;
        int at = l3 + 40;
        boolean firstFragment = true;
        for (int i = 0; i < 8 && isExtensionHeader(next); i++) {
            if (p.length < at + 8) {
                Fingerprint unknown = new Fingerprint(null, null, null, null, null, 0);
                return new Parsed(tuple(saddr, daddr, 0, 0, next, 0), null, unknown, null);
            }
            int header = next;
            next = p[at] & 0xff;
            if (header == 44) { // fragment header: fixed 8 bytes
                firstFragment = (u16(p, at + 2) & 0xfff8) == 0;
                at += 8;
            } else if (header == 51) { // AH: length in 4-byte units, minus 2
                at += ((p[at + 1] & 0xff) + 2) * 4;
            } else {
                at += ((p[at + 1] & 0xff) + 1) * 8;
            }
        }
        // payload_len 0 is a jumbogram (or BIG TCP): the length is elsewhere, unknown here.
        int ipPayload = payloadLength == 0 ? -1 : payloadLength - (at - l3 - 40);
        IpFacts ip = new IpFacts(saddr, daddr, next, firstFragment, -1, ipPayload < 0 ? -1 : ipPayload);
        return transport(p, at, ip, outer);
    }

    /**
     * What the IP header says. {@code ipId} is -1 for IPv6; {@code ipPayload} is the length of what follows
     * the IP header(s) per the header's length fields, -1 when unknown.
     */
    private record IpFacts(String saddr, String daddr, int proto, boolean firstFragment, int ipId, int ipPayload) {}

    private static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135;
    }

    private static Parsed transport(byte[] p, int l4, IpFacts ip, boolean outer) {
        String saddr = ip.saddr();
        String daddr = ip.daddr();
        int proto = ip.proto();
        if (!ip.firstFragment()) {
            // A later fragment: no L4 header, its data follows the IP header.
            return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), null, fingerprint(p, ip, null, null, l4, 0), null);
        }
        switch (proto) {
            case IPPROTO_TCP: {
                Long seq = p.length >= l4 + 8 ? u32(p, l4 + 4) : null;
                Long ack = p.length >= l4 + 12 ? u32(p, l4 + 8) : null;
                int dataOffset = p.length >= l4 + 13 ? ((p[l4 + 12] & 0xff) >> 4) * 4 : -1;
                Fingerprint fp = fingerprint(p, ip, seq, ack, l4, dataOffset >= 20 ? dataOffset : -1);
                Tuple tuple = p.length >= l4 + 14
                        ? tuple(saddr, daddr, u16(p, l4), u16(p, l4 + 2), proto, p[l4 + 13] & 0xff)
                        : tuple(saddr, daddr, 0, 0, proto, 0);
                return new Parsed(tuple, null, fp, null);
            }
            case IPPROTO_UDP:
                if (p.length >= l4 + 4) {
                    int dport = u16(p, l4 + 2);
                    Tuple tuple = tuple(saddr, daddr, u16(p, l4), dport, proto, 0);
                    if (outer && (dport == VXLAN_PORT || dport == VXLAN_PORT_LINUX)
                            && p.length >= l4 + 8 + VXLAN_HLEN && (p[l4 + 8] & 0x08) != 0) {
                        return vxlan(p, l4 + 8, tuple);
                    }
                    return new Parsed(tuple, null, fingerprint(p, ip, null, null, l4, 8), null);
                }
                break;
            case IPPROTO_ICMP:
            case IPPROTO_ICMPV6:
                if (p.length >= l4 + 8) {
                    int type = p[l4] & 0xff;
                    boolean echo = proto == IPPROTO_ICMP ? (type == 0 || type == 8) : (type == 128 || type == 129);
                    Icmp icmp = new Icmp(type, p[l4 + 1] & 0xff, echo ? u16(p, l4 + 4) : 0, echo ? u16(p, l4 + 6) : 0);
                    return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), icmp, fingerprint(p, ip, null, null, l4, 8),
                            null);
                }
                break;
            default:
                // No L4 header we know: the payload is everything after the IP header(s).
                return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), null, fingerprint(p, ip, null, null, l4, 0),
                        null);
        }
        return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), null, fingerprint(p, ip, null, null, l4, 8), null);
    }

    /**
     * The VXLAN packet whose 8-byte header is at {@code at}: the outer tuple stays, the fingerprint and
     * {@code encap} are the inner Ethernet frame's (null parts when it is not IP or not captured).
     */
    private static Parsed vxlan(byte[] p, int at, Tuple outerTuple) {
        long vni = ((p[at + 4] & 0xffL) << 16) | ((p[at + 5] & 0xff) << 8) | (p[at + 6] & 0xff);
        Parsed inner = parse(p, at + VXLAN_HLEN, true, false);
        return new Parsed(outerTuple, null, inner.fp(), new Encap(Encap.VXLAN, vni, inner.tuple(), inner.icmp()));
    }

    /**
     * The fingerprint of a packet whose L4 header starts at {@code l4} and is {@code l4HeaderLength} bytes
     * long (-1: unknown, e.g. the TCP data offset is not captured). The payload length comes from the IP
     * header's lengths; the hash covers the payload bytes present in {@code p}, at most 32 and never past
     * the payload (Ethernet padding).
     */
    private static Fingerprint fingerprint(byte[] p, IpFacts ip, Long tcpSeq, Long tcpAck, int l4, int l4HeaderLength) {
        Integer ipId = ip.ipId() < 0 ? null : ip.ipId();
        if (l4HeaderLength < 0) {
            return new Fingerprint(ipId, tcpSeq, tcpAck, null, null, 0);
        }
        int ipPayload = ip.ipPayload();
        Integer payloadLength = ipPayload >= l4HeaderLength ? ipPayload - l4HeaderLength : null;
        int start = l4 + l4HeaderLength;
        int hashed = Math.min(Fingerprint.MAX_HASHED, Math.max(0, p.length - start));
        if (payloadLength != null) {
            hashed = Math.min(hashed, payloadLength);
        } else if (ipPayload >= 0) {
            hashed = 0; // the lengths contradict each other (the L4 header is longer than the IP payload)
        }
        String hash = hashed > 0 ? Fingerprint.hashText(Fingerprint.fnv1a64(p, start, hashed)) : null;
        return new Fingerprint(ipId, tcpSeq, tcpAck, payloadLength, hash, hashed);
    }

    private static Tuple tuple(String saddr, String daddr, int sport, int dport, int proto, int tcpFlags) {
        return new Tuple(saddr, daddr, sport, dport, protoName(proto), proto == IPPROTO_TCP ? tcpFlags(tcpFlags) : "");
    }

    /** {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6}, or the number. */
    public static String protoName(int proto) {
        return switch (proto) {
            case IPPROTO_TCP -> "tcp";
            case IPPROTO_UDP -> "udp";
            case IPPROTO_ICMP -> "icmp";
            case IPPROTO_ICMPV6 -> "icmp6";
            default -> Integer.toString(proto);
        };
    }

    /** {@code SYN|ACK} style, empty for none. */
    public static String tcpFlags(int flags) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < TCP_FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (s.length() > 0) {
                    s.append('|');
                }
                s.append(TCP_FLAG_NAMES[bit]);
            }
        }
        return s.toString();
    }

    private static String address(byte[] p, int at, int size) {
        if (size == 4) {
            return (p[at] & 0xff) + "." + (p[at + 1] & 0xff) + "." + (p[at + 2] & 0xff) + "." + (p[at + 3] & 0xff);
        }
        return ipv6Text(p, at);
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6Text(byte[] p, int at) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = u16(p, at + 2 * i);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    private static long u32(byte[] p, int at) {
        return ((long) u16(p, at) << 16) | u16(p, at + 2);
    }
}
