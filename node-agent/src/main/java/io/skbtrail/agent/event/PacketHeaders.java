package io.skbtrail.agent.event;

import io.skbtrail.protocol.Event.Icmp;
import io.skbtrail.protocol.Event.Tuple;
import java.nio.ByteBuffer;

/**
 * Parses the tuple and ICMP fields from the packet bytes an event carries (Ethernet with up to two
 * VLAN tags, IPv4, IPv6 with extension headers, TCP, UDP, ICMP, ICMPv6). Parsing here rather than in
 * the kernel keeps the probes short; it only costs for events that matched.
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
    private static final String[] TCP_FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    /** The parsed headers; either part may be null. */
    public record Parsed(Tuple tuple, Icmp icmp) {
        static final Parsed NONE = new Parsed(null, null);
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
        int l3 = 0;
        if (l2) {
            if (p.length < 14) {
                return Parsed.NONE;
            }
            int type = u16(p, 12);
            l3 = 14;
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
        return version == 4 ? ipv4(p, l3) : version == 6 ? ipv6(p, l3) : Parsed.NONE;
    }

    private static Parsed ipv4(byte[] p, int l3) {
        if (p.length < l3 + 20) {
            return Parsed.NONE;
        }
        int ihl = (p[l3] & 0x0f) * 4;
        int proto = p[l3 + 9] & 0xff;
        boolean firstFragment = (u16(p, l3 + 6) & 0x1fff) == 0;
        String saddr = address(p, l3 + 12, 4);
        String daddr = address(p, l3 + 16, 4);
        return transport(p, l3 + ihl, proto, saddr, daddr, firstFragment);
    }

    private static Parsed ipv6(byte[] p, int l3) {
        if (p.length < l3 + 40) {
            return Parsed.NONE;
        }
        int next = p[l3 + 6] & 0xff;
        int at = l3 + 40;
        boolean firstFragment = true;
        for (int i = 0; i < 8 && isExtensionHeader(next); i++) {
            if (p.length < at + 8) {
                return new Parsed(tuple(address(p, l3 + 8, 16), address(p, l3 + 24, 16), 0, 0, next, 0), null);
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
        return transport(p, at, next, address(p, l3 + 8, 16), address(p, l3 + 24, 16), firstFragment);
    }

    private static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135;
    }

    private static Parsed transport(byte[] p, int l4, int proto, String saddr, String daddr, boolean first) {
        if (!first) {
            return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), null);
        }
        switch (proto) {
            case IPPROTO_TCP:
                if (p.length >= l4 + 14) {
                    return new Parsed(tuple(saddr, daddr, u16(p, l4), u16(p, l4 + 2), proto, p[l4 + 13] & 0xff), null);
                }
                break;
            case IPPROTO_UDP:
                if (p.length >= l4 + 4) {
                    return new Parsed(tuple(saddr, daddr, u16(p, l4), u16(p, l4 + 2), proto, 0), null);
                }
                break;
            case IPPROTO_ICMP:
            case IPPROTO_ICMPV6:
                if (p.length >= l4 + 8) {
                    int type = p[l4] & 0xff;
                    boolean echo = proto == IPPROTO_ICMP ? (type == 0 || type == 8) : (type == 128 || type == 129);
                    Icmp icmp = new Icmp(type, p[l4 + 1] & 0xff, echo ? u16(p, l4 + 4) : 0, echo ? u16(p, l4 + 6) : 0);
                    return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), icmp);
                }
                break;
            default:
                break;
        }
        return new Parsed(tuple(saddr, daddr, 0, 0, proto, 0), null);
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
}
