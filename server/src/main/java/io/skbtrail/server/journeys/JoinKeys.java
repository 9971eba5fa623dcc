package io.skbtrail.server.journeys;

import io.skbtrail.protocol.Event;
import java.util.function.UnaryOperator;

/**
 * The 64-bit keys by which one packet's sightings on several hosts are found again, computed at ingest from the
 * event's fingerprint and stored with it ({@code events.join_key}, {@code alt_key}, {@code flow_key}).
 *
 * <p>A key hashes what does not change in transit: the tuple of the packet that is matched (the inner one of a
 * VXLAN packet), IPv4 identification, TCP sequence and acknowledgement numbers, ICMP echo id and sequence.
 * TTL, checksums and the skb address are never part of it; the payload hash is not either, because two hosts
 * may have hashed a different number of payload bytes (it is compared when the keys meet, see
 * {@link JourneyJoin}). ICMP's echo id stands in the source port's place, as conntrack keys ICMP, so a NAT
 * that rewrites the id is joined through conntrack's tuple too.
 *
 * <p>Equal keys only say "possibly the same packet": the join also requires the sightings to be close in time.
 */
public final class JoinKeys {
    private static final long SEED = 0x5bd1e9955bd1e995L;
    private static final long NONE = 0x7f4a7c15d1b54a32L;

    private JoinKeys() {}

    /**
     * The addresses, ports and protocol of the matched packet.
     *
     * @param proto {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6}, or a protocol number as text
     * @param saddr canonical address text (as stored: dotted quad, or Java's IPv6 form)
     * @param sport for ICMP: the echo id; else the source port
     * @param dport for ICMP: 0; else the destination port
     */
    public record Tuple(String proto, String saddr, String daddr, int sport, int dport) {
        /** The same packet travelling the other way (a reply's tuple as conntrack gives it). */
        public Tuple reversed() {
            return new Tuple(proto, daddr, saddr, dport, sport);
        }
    }

    /** What identifies the packet besides its tuple; null where the packet has none. */
    public record Marks(Integer ipId, Long tcpSeq, Long tcpAck, Integer icmpSeq) {}

    /** An event's keys; each null when it has none. */
    public record Keys(Long join, Long alt, Long flow) {
        static final Keys NONE = new Keys(null, null, null);
    }

    /**
     * The keys of one event: none without a fingerprint or without the matched packet's tuple; {@code alt} only
     * when conntrack says NAT changed the packet.
     *
     * @param canonical the stored form of an address (the same text for the same address on every host)
     */
    public static Keys of(Event e, UnaryOperator<String> canonical) {
        Event.Fingerprint fp = e.fp();
        Event.Tuple t = e.encap() != null ? e.encap().tuple() : e.tuple();
        Event.Icmp icmp = e.encap() != null ? e.encap().icmp() : e.icmp();
        if (fp == null || t == null) {
            return Keys.NONE;
        }
        String proto = protoName(t.proto());
        boolean isIcmp = isIcmp(proto);
        Tuple tuple = new Tuple(proto, canonical.apply(t.saddr()), canonical.apply(t.daddr()),
                isIcmp ? (icmp == null ? 0 : icmp.id()) : t.sport(), isIcmp ? 0 : t.dport());
        Marks marks = new Marks(fp.ipId(), fp.tcpSeq(), fp.tcpAck(), isIcmp && icmp != null ? icmp.seq() : null);
        Long alt = null;
        Event.Conntrack ct = e.ct();
        if (ct != null && e.encap() == null) {
            Tuple sent;
            Tuple received;
            if (ct.dir() == Event.Conntrack.Direction.ORIGINAL) {
                sent = tuple(ct.orig(), canonical);
                received = tuple(ct.reply(), canonical).reversed();
            } else {
                sent = tuple(ct.reply(), canonical);
                received = tuple(ct.orig(), canonical).reversed();
            }
            Tuple other = tuple.equals(sent) ? received : sent;
            if (!other.equals(tuple)) {
                alt = joinKey(other, marks);
            }
        }
        return new Keys(joinKey(tuple, marks), alt, flowKey(tuple));
    }

    private static Tuple tuple(Event.CtTuple t, UnaryOperator<String> canonical) {
        return new Tuple(protoName(t.proto()), canonical.apply(t.saddr()), canonical.apply(t.daddr()), t.sport(),
                t.dport());
    }

    /** Protocols by name, whether given by name or number. */
    static String protoName(String proto) {
        return protoName((CharSequence) proto).toString();
    }

    /**
     * Protocols by name, whether given by name or number: the name for {@code 6}, {@code 17}, {@code 1} and
     * {@code 58}, else {@code proto} itself.
     */
    public static CharSequence protoName(CharSequence proto) {
        if (proto.length() == 1) {
            switch (proto.charAt(0)) {
                case '6':
                    return "tcp";
                case '1':
                    return "icmp";
                default:
                    return proto;
            }
        }
        if (proto.length() == 2) {
            if (proto.charAt(0) == '1' && proto.charAt(1) == '7') {
                return "udp";
            }
            if (proto.charAt(0) == '5' && proto.charAt(1) == '8') {
                return "icmp6";
            }
        }
        return proto;
    }

    /** The join key of a packet with this tuple and these marks. */
    public static long joinKey(Tuple t, Marks m) {
        return joinKey(t.proto(), t.saddr(), t.daddr(), t.sport(), t.dport(), mark(m.ipId()), mark(m.tcpSeq()),
                mark(m.tcpAck()), mark(m.icmpSeq()));
    }

    /**
     * The join key from its parts, for callers that have them without {@link Tuple} and {@link Marks} (the
     * ingest fast path reads them straight from the event line): {@link #NO_MARK} where a mark is null.
     *
     * @param proto the protocol's name ({@link #protoName}), addresses their canonical text
     */
    public static long joinKey(CharSequence proto, CharSequence saddr, CharSequence daddr, int sport, int dport,
            long ipId, long tcpSeq, long tcpAck, long icmpSeq) {
        long h = tuple(SEED, proto, saddr, daddr, sport, dport);
        h = mix(h, ipId);
        h = mix(h, tcpSeq);
        h = mix(h, tcpAck);
        h = mix(h, icmpSeq);
        return finish(h);
    }

    /** A null mark. Marks are at most 32-bit unsigned, so this value never stands for a real one. */
    public static final long NO_MARK = NONE;

    private static long mark(Number m) {
        return m == null ? NO_MARK : m.longValue();
    }

    /** The flow key: the tuple alone (GSO/GRO segments of one super-packet share it, and its ack). */
    public static long flowKey(Tuple t) {
        return flowKey(t.proto(), t.saddr(), t.daddr(), t.sport(), t.dport());
    }

    /** The flow key from the tuple's parts (see {@link #joinKey(CharSequence, CharSequence, CharSequence, int, int, long, long, long, long)}). */
    public static long flowKey(CharSequence proto, CharSequence saddr, CharSequence daddr, int sport, int dport) {
        return finish(tuple(SEED ^ 0x3c6ef372fe94f82bL, proto, saddr, daddr, sport, dport));
    }

    /** ICMP carries its echo id where other protocols have ports. */
    public static boolean isIcmp(String proto) {
        return isIcmp((CharSequence) proto);
    }

    /** ICMP carries its echo id where other protocols have ports; {@code proto} is a name ({@link #protoName}). */
    public static boolean isIcmp(CharSequence proto) {
        return "icmp".contentEquals(proto) || "icmp6".contentEquals(proto);
    }

    private static long tuple(long h, CharSequence proto, CharSequence saddr, CharSequence daddr, int sport,
            int dport) {
        h = text(h, proto);
        h = text(h, saddr);
        h = text(h, daddr);
        h = mix(h, sport);
        return mix(h, dport);
    }

    private static long text(long h, CharSequence s) {
        h = mix(h, s.length());
        for (int i = 0; i < s.length(); i++) {
            h = mix(h, s.charAt(i));
        }
        return h;
    }

    private static long mix(long h, long v) {
        return Long.rotateLeft(h ^ (v * 0x9E3779B97F4A7C15L), 29) * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    }

    /** splitmix64's finaliser: every input bit reaches every output bit. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
