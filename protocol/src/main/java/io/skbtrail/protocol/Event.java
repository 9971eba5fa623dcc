package io.skbtrail.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One sighting of a packet at one probe point: event contract v1.
 *
 * <p>Identity is {@code (host, bootId, skb, ktimeNs)}: skb addresses are reused after free and kernel time
 * is per boot, so neither alone identifies an event. {@code packetId} groups the events of one skb lifetime
 * on one agent run.
 *
 * @param time wall-clock time of the event, converted on the host from {@code ktimeNs}
 * @param ktimeNs {@code bpf_ktime_get_ns()} (CLOCK_MONOTONIC) at the event
 * @param seq per agent run, gap-free, starting at 1
 * @param process task name ({@code comm}) of the task on the CPU; at softirq hooks it is whichever task the
 *     softirq interrupted
 * @param skb skb address as {@code 0x…}
 * @param func probe point: a kernel function name, or {@code net:netif_receive_skb} style for tracepoints
 * @param location symbol of the caller or free location (kfree_skb), or null
 * @param dropReason {@code skb_drop_reason} name without {@code SKB_DROP_REASON_}, or null
 * @param netns network namespace inode, an unsigned 32-bit value
 * @param mark {@code skb->mark}, an unsigned 32-bit value
 * @param iface interface name of {@code ifindex} in {@code netns}, or null when the agent does not know it
 * @param proto {@code skb->protocol} in host order (0x0800 = 2048)
 * @param tuple L3/L4 tuple, or null when the packet is not IP or its headers are not built
 * @param icmp ICMP/ICMPv6 fields, or null
 * @param stack kernel stack symbols, innermost first (with --output-stack), or null
 * @param skbDump BTF text dump of the skb (with --output-skb), or null
 * @param packet hex of the first linear packet bytes (with --output-packet-bytes N), or null
 * @param caller nearest symbol to the return address (kprobe backends with --output-caller), or null
 * @param fp what identifies this packet across hosts, from the packet bytes the event carries (the inner
 *     packet for VXLAN), or null when the event has no parsable IP header
 * @param encap the encapsulation the packet travels in (its inner packet), or null when not encapsulated
 * @param ct conntrack's tuples when the skb has a conntrack entry whose NAT changed the packet, or null
 * @see EventJson the NDJSON encoding
 */
public record Event(
        Instant time,
        long ktimeNs,
        String bootId,
        long seq,
        int cpu,
        String process,
        int pid,
        String skb,
        long packetId,
        ProbeType probeType,
        String func,
        String location,
        String dropReason,
        long netns,
        long mark,
        int ifindex,
        String iface,
        int proto,
        int mtu,
        int len,
        Tuple tuple,
        Icmp icmp,
        List<String> stack,
        String skbDump,
        String packet,
        String caller,
        Fingerprint fp,
        Encap encap,
        Conntrack ct) implements WireRecord {

    /** Rejects nulls in the components that are always known; the others are documented as nullable. */
    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(bootId, "bootId");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(skb, "skb");
        Objects.requireNonNull(probeType, "probeType");
        Objects.requireNonNull(func, "func");
    }

    /** Starts an empty builder; convenient where most fields keep their zero or null value. */
    public static EventBuilder builder() {
        return new EventBuilder();
    }

    /** A builder holding this event's values, to derive a changed copy. */
    public EventBuilder toBuilder() {
        return new EventBuilder(this);
    }

    /** How the event was produced; serialised in lower case ({@code kprobe_multi}). */
    public enum ProbeType {
        TRACEPOINT("tracepoint"), KPROBE("kprobe"), KPROBE_MULTI("kprobe_multi"), FENTRY("fentry");

        private final String wireName;

        ProbeType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /**
         * The probe type with this exact wire name.
         *
         * @throws IllegalArgumentException for any other text, including other letter cases
         */
        public static ProbeType fromWireName(String name) {
            for (ProbeType type : values()) {
                if (type.wireName().equals(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown probe type: " + name);
        }
    }

    /**
     * The packet's addresses and ports.
     *
     * @param proto {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6}, or the IP protocol number as text
     * @param tcpFlags {@code SYN|ACK} style, empty when not TCP or no flags
     */
    public record Tuple(String saddr, String daddr, int sport, int dport, String proto, String tcpFlags) {

        /** Rejects nulls: a tuple without addresses is no tuple, and "no flags" is the empty string. */
        public Tuple {
            Objects.requireNonNull(saddr, "saddr");
            Objects.requireNonNull(daddr, "daddr");
            Objects.requireNonNull(proto, "proto");
            Objects.requireNonNull(tcpFlags, "tcpFlags");
        }
    }

    /** ICMP or ICMPv6 header fields; id and seq are 0 for messages other than echo. */
    public record Icmp(int type, int code, int id, int seq) {}

    /**
     * What does not change while the packet crosses hosts, besides the tuple and ICMP id/seq: matched by
     * the server to recognise one packet at every probe point on every host (README, "Packet
     * fingerprint"). TTL, checksums and the skb address are deliberately not part of it.
     *
     * @param ipId IPv4 identification, null for IPv6 (it has none)
     * @param tcpSeq TCP sequence number (unsigned 32-bit), null when not TCP
     * @param tcpAck TCP acknowledgement number as in the header (unsigned 32-bit), null when not TCP or not
     *     known (headers rebuilt from the socket)
     * @param payloadLen L4 payload length from the IP header's lengths (a GSO/GRO super-packet's whole
     *     payload), null when unknown
     * @param payloadHash 16 lower-case hex digits: 64-bit FNV-1a over the first {@code payloadHashed}
     *     payload bytes; null exactly when {@code payloadHashed} is 0
     * @param payloadHashed how many payload bytes were hashed, 0..{@value #MAX_HASHED}: only bytes present
     *     in the captured linear data
     */
    public record Fingerprint(Integer ipId, Long tcpSeq, Long tcpAck, Integer payloadLen, String payloadHash,
            int payloadHashed) {

        /** At most this many payload bytes are hashed. */
        public static final int MAX_HASHED = 32;

        /** FNV-1a 64 over {@code bytes[from, from + count)}. */
        public static long fnv1a64(byte[] bytes, int from, int count) {
            long hash = 0xcbf29ce484222325L;
            for (int i = from; i < from + count; i++) {
                hash ^= bytes[i] & 0xff;
                hash *= 0x100000001b3L;
            }
            return hash;
        }

        /** The wire form of a hash: 16 lower-case hex digits. */
        public static String hashText(long hash) {
            String hex = Long.toHexString(hash);
            return "0".repeat(16 - hex.length()) + hex;
        }

        /** Whether {@code text} is a hash in its wire form (16 lower-case hex digits). */
        public static boolean isHashText(String text) {
            if (text.length() != 16) {
                return false;
            }
            for (int i = 0; i < 16; i++) {
                char c = text.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * An encapsulated packet: the event's {@code tuple} is the outer packet's, these fields the inner one's.
     *
     * @param type {@value #VXLAN}, the only encapsulation the agent parses
     * @param vni VXLAN network identifier, 0..2^24-1
     * @param tuple the inner packet's tuple, or null when the inner packet is not IP or not captured far enough
     * @param icmp the inner packet's ICMP fields, or null
     */
    public record Encap(String type, long vni, Tuple tuple, Icmp icmp) {

        public static final String VXLAN = "vxlan";

        public Encap {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Conntrack's view of the packet's connection, reported when NAT changed it (the original tuple is not
     * the reverse of the reply tuple): the far side of a NAT can be joined through {@code orig}.
     *
     * @param dir which of the two tuples this packet travels in
     */
    public record Conntrack(Direction dir, CtTuple orig, CtTuple reply) {

        public Conntrack {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(orig, "orig");
            Objects.requireNonNull(reply, "reply");
        }

        /** Direction of the packet in its connection; serialised in lower case. */
        public enum Direction {
            ORIGINAL("original"), REPLY("reply");

            private final String wireName;

            Direction(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }

            /**
             * The direction with this exact wire name.
             *
             * @throws IllegalArgumentException for any other text
             */
            public static Direction fromWireName(String name) {
                for (Direction d : values()) {
                    if (d.wireName.equals(name)) {
                        return d;
                    }
                }
                throw new IllegalArgumentException("unknown conntrack direction: " + name);
            }
        }
    }

    /**
     * One of conntrack's tuples. Ports are 0 for protocols without ports, except ICMP/ICMPv6, whose
     * {@code sport} is the echo id conntrack keys the entry on ({@code dport} 0).
     */
    public record CtTuple(String saddr, String daddr, int sport, int dport, String proto) {

        public CtTuple {
            Objects.requireNonNull(saddr, "saddr");
            Objects.requireNonNull(daddr, "daddr");
            Objects.requireNonNull(proto, "proto");
        }
    }
}
