package io.skbtrail.filter;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Hand-built test frames. Checksums are left at zero: no filter here looks at them. */
final class Packets {

    static final byte[] MAC_A = mac(0x02, 0, 0, 0, 0, 0x01);
    static final byte[] MAC_B = mac(0x02, 0, 0, 0, 0, 0x02);
    static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10;

    private Packets() {
    }

    static byte[] mac(int... octets) {
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) octets[i];
        }
        return mac;
    }

    static byte[] ip(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    static byte[] payload(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i * 7);
        }
        return bytes;
    }

    static byte[] ethernet(byte[] dst, byte[] src, int etherType, byte[] payload) {
        return concat(dst, src, u16(etherType), payload);
    }

    /** An 802.1Q tag between the source MAC and the inner EtherType. */
    static byte[] vlan(int vid, int etherType, byte[] payload) {
        return concat(MAC_B, MAC_A, u16(0x8100), u16(vid & 0xfff), u16(etherType), payload);
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 0, new byte[0], payload);
    }

    /** IPv4 with a flags/fragment-offset field and options (padded to 4 bytes). */
    static byte[] ipv4(String src, String dst, int protocol, int flagsAndOffset, byte[] options, byte[] payload) {
        byte[] opts = Arrays.copyOf(options, (options.length + 3) / 4 * 4);
        int headerLength = 20 + opts.length;
        byte[] header = concat(
                new byte[] {(byte) (0x40 | headerLength / 4), 0},
                u16(headerLength + payload.length),
                u16(0x1234), u16(flagsAndOffset),
                new byte[] {64, (byte) protocol, 0, 0},
                ip(src), ip(dst), opts);
        return concat(header, payload);
    }

    static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
        return concat(new byte[] {0x60, 0, 0, 0}, u16(payload.length), new byte[] {(byte) nextHeader, 64},
                ip(src), ip(dst), payload);
    }

    /** An IPv6 fragment header in front of {@code payload}. */
    static byte[] ipv6Fragment(int nextHeader, byte[] payload) {
        return concat(new byte[] {(byte) nextHeader, 0, 0, 0, 0, 0, 0, 1}, payload);
    }

    static byte[] tcp(int srcPort, int dstPort, int flags, byte[] payload) {
        return concat(u16(srcPort), u16(dstPort), new byte[] {0, 0, 0, 1, 0, 0, 0, 0},
                new byte[] {0x50, (byte) flags}, u16(65535), u16(0), u16(0), payload);
    }

    static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
    }

    static byte[] icmp(int type, int code, byte[] payload) {
        return concat(new byte[] {(byte) type, (byte) code, 0, 0, 0, 1, 0, 1}, payload);
    }

    static byte[] arpRequest(String senderIp, String targetIp) {
        return concat(u16(1), u16(0x0800), new byte[] {6, 4}, u16(1), MAC_A, ip(senderIp),
                new byte[6], ip(targetIp));
    }

    static byte[] ipv4Frame(byte[] ipPacket) {
        return ethernet(MAC_B, MAC_A, 0x0800, ipPacket);
    }

    static byte[] ipv6Frame(byte[] ipPacket) {
        return ethernet(MAC_B, MAC_A, 0x86dd, ipPacket);
    }
}
