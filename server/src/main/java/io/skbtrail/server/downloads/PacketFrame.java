package io.skbtrail.server.downloads;

import io.skbtrail.protocol.Event;
import java.util.HexFormat;

/**
 * An event's captured bytes ({@code packet}, from {@code --output-packet-bytes}) as an Ethernet frame for
 * pcap-ng.
 *
 * <p>Where those bytes start depends on the probe point (see the agent's {@code locate_packet}): at the
 * Ethernet header where the skb still has one in front of its data (receive entry points, transmit, and
 * elsewhere when the mac header sits right before the network header), else at the network (IP) header
 * (after the stack pulled the link-layer header, on devices without one, or when the mac header is unset).
 * The event does not say which, so it is told from the bytes: an Ethernet frame carries {@code proto}
 * ({@code skb->protocol}) as its EtherType at offset 12 (or behind a VLAN tag), an IP packet starts with
 * the version nibble {@code proto} implies; where both could hold, the tuple's addresses decide.
 *
 * <p>libpcap (and with it tcpdump) reads only files whose interfaces all have one link type, so every packet
 * is written as Ethernet: bytes that start at the IP header get a zero Ethernet header (00:00:00:00:00:00
 * both ways, EtherType from {@code proto}) in front, and the packet's comment says so.
 */
public record PacketFrame(byte[] data, int originalLength, boolean synthesizedHeader) {
    static final int ETH_HLEN = 14;

    /** The frame of an event with packet bytes; null when it has none. */
    public static PacketFrame of(Event e) {
        if (e.packet() == null || e.packet().isEmpty()) {
            return null;
        }
        byte[] b = HexFormat.of().parseHex(e.packet());
        int proto = e.proto();
        boolean ether = looksEthernet(b, proto);
        boolean ip = looksIp(b, 0, proto);
        boolean l2;
        if (ether && ip) {
            l2 = !addressesAt(b, 0, e.tuple()) || addressesAt(b, ipOffset(b), e.tuple());
        } else {
            l2 = ether || !ip && proto == 0 && b.length >= ETH_HLEN;
        }
        if (l2) {
            int off = ipOffset(b);
            int wire = Math.max(b.length, Math.max(e.len(), off + ipLength(b, off)));
            return new PacketFrame(b, wire, false);
        }
        int etherType = proto != 0 ? proto : b.length > 0 && (b[0] & 0xf0) == 0x60 ? 0x86DD : 0x0800;
        byte[] framed = new byte[ETH_HLEN + b.length];
        framed[12] = (byte) (etherType >> 8);
        framed[13] = (byte) etherType;
        System.arraycopy(b, 0, framed, ETH_HLEN, b.length);
        int wire = ETH_HLEN + Math.max(b.length, Math.max(e.len(), ipLength(b, 0)));
        return new PacketFrame(framed, wire, true);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static boolean looksEthernet(byte[] b, int proto) {
        if (b.length < ETH_HLEN) {
            return false;
        }
        int type = u16(b, 12);
        if (type == 0x8100 || type == 0x88A8) {
            return b.length >= ETH_HLEN + 4 && (proto == 0 || u16(b, 16) == proto || type == proto);
        }
        return proto != 0 ? type == proto : type == 0x0800 || type == 0x86DD || type == 0x0806;
    }

    private static boolean looksIp(byte[] b, int at, int proto) {
        if (b.length <= at) {
            return false;
        }
        int version = (b[at] & 0xf0) >> 4;
        if (version == 4) {
            return (proto == 0x0800 || proto == 0) && (b[at] & 0x0f) >= 5;
        }
        return version == 6 && (proto == 0x86DD || proto == 0);
    }

    /** Where the IP header starts in an Ethernet frame (behind one or two VLAN tags). */
    private static int ipOffset(byte[] b) {
        int off = ETH_HLEN;
        while (b.length >= off + 4 && (u16(b, off - 2) == 0x8100 || u16(b, off - 2) == 0x88A8)) {
            off += 4;
        }
        return off;
    }

    /** The IP packet's length from its header, or 0. */
    private static int ipLength(byte[] b, int at) {
        if (b.length >= at + 4 && (b[at] & 0xf0) == 0x40) {
            return u16(b, at + 2);
        }
        if (b.length >= at + 6 && (b[at] & 0xf0) == 0x60) {
            return 40 + u16(b, at + 4);
        }
        return 0;
    }

    /** Whether an IP header at {@code at} carries the tuple's addresses. */
    private static boolean addressesAt(byte[] b, int at, Event.Tuple t) {
        if (t == null) {
            return false;
        }
        if (b.length >= at + 20 && (b[at] & 0xf0) == 0x40) {
            return dotted(b, at + 12).equals(t.saddr()) && dotted(b, at + 16).equals(t.daddr());
        }
        if (b.length >= at + 40 && (b[at] & 0xf0) == 0x60) {
            try {
                byte[] s = java.net.InetAddress.getByName(t.saddr()).getAddress();
                return s.length == 16 && java.util.Arrays.equals(s, 0, 16, b, at + 8, at + 24);
            } catch (java.net.UnknownHostException | SecurityException e) {
                return false;
            }
        }
        return false;
    }

    private static String dotted(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }
}
