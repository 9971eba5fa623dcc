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
        String caller) implements WireRecord {

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
}
