package io.skbtrail.agent.event;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Packets built byte by byte for the parser tests, with the lengths in their headers computed from what
 * follows (or set on purpose to something else). Checksums are left 0: nothing reads them.
 */
final class CraftedPackets {
    static final byte[] MAC_A = {2, 0, 0, 0, 0, 1};
    static final byte[] MAC_B = {2, 0, 0, 0, 0, 2};

    private CraftedPackets() {}

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] ethernet(int etherType) {
        return concat(MAC_B, MAC_A, new byte[] {(byte) (etherType >> 8), (byte) etherType});
    }

    /** An IPv4 header of 20 bytes whose tot_len covers the header and {@code ipPayloadLength}. */
    static byte[] ipv4(int id, int proto, int ipPayloadLength, int fragmentField, String saddr, String daddr) {
        byte[] h = new byte[20];
        h[0] = 0x45;
        put16(h, 2, ipPayloadLength < 0 ? 0 : 20 + ipPayloadLength);
        put16(h, 4, id);
        put16(h, 6, fragmentField);
        h[8] = 64;
        h[9] = (byte) proto;
        System.arraycopy(v4(saddr), 0, h, 12, 4);
        System.arraycopy(v4(daddr), 0, h, 16, 4);
        return h;
    }

    /** An IPv6 header whose payload length covers {@code ipPayloadLength} (extension headers included). */
    static byte[] ipv6(int next, int ipPayloadLength, int lastSaddrByte, int lastDaddrByte) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        put16(h, 4, ipPayloadLength);
        h[6] = (byte) next;
        h[7] = 64;
        h[8] = (byte) 0xfd;
        h[23] = (byte) lastSaddrByte;
        h[24] = (byte) 0xfd;
        h[39] = (byte) lastDaddrByte;
        return h;
    }

    /** A TCP header; {@code optionBytes} of NOPs make the data offset 20 + optionBytes. */
    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int optionBytes) {
        byte[] h = new byte[20 + optionBytes];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put32(h, 4, seq);
        put32(h, 8, ack);
        h[12] = (byte) (((20 + optionBytes) / 4) << 4);
        h[13] = (byte) flags;
        put16(h, 14, 0xffff);
        Arrays.fill(h, 20, h.length, (byte) 1);
        return h;
    }

    static byte[] udp(int sport, int dport, int payloadLength) {
        byte[] h = new byte[8];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put16(h, 4, 8 + payloadLength);
        return h;
    }

    static byte[] icmpEcho(int type, int id, int seq) {
        byte[] h = new byte[8];
        h[0] = (byte) type;
        put16(h, 4, id);
        put16(h, 6, seq);
        return h;
    }

    static byte[] vxlan(int vni) {
        byte[] h = new byte[8];
        h[0] = 0x08; // I flag: the VNI is valid
        h[4] = (byte) (vni >> 16);
        h[5] = (byte) (vni >> 8);
        h[6] = (byte) vni;
        return h;
    }

    /** {@code n} bytes 0, 1, 2, … (mod 256). */
    static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** IPv4 TCP in Ethernet with {@code payload} bytes of payload, all of them present. */
    static byte[] ethIpv4Tcp(int id, long seq, long ack, byte[] payload) {
        byte[] tcp = tcp(40000, 8080, seq, ack, 0x18, 12);
        return concat(ethernet(0x0800), ipv4(id, 6, tcp.length + payload.length, 0x4000, "10.231.1.1", "10.231.1.2"),
                tcp, payload);
    }

    static byte[] cut(byte[] p, int length) {
        return Arrays.copyOf(p, length);
    }

    private static byte[] v4(String address) {
        String[] parts = address.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >> 16) & 0xffff);
        put16(b, at + 2, (int) v & 0xffff);
    }
}
