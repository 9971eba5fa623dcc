package io.skbtrail.agent.event;

import static io.skbtrail.agent.event.RawEventLayout.*;

import io.skbtrail.protocol.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a ring-buffer record into a contract v1 {@link Event}, resolving on this host what only this
 * host knows: probe point and symbol names, drop-reason names, wall-clock time. Assigns the gap-free
 * {@code seq}. One thread decodes.
 */
public final class EventDecoder {

    /** Names the probe point of a record. */
    public interface ProbePoints {
        /** {@code net:netif_receive_skb}, or the function at {@code funcIp} for kprobe backends. */
        String name(int probeId, long funcIp);

        /** tracepoint, kprobe, …: a kprobe backend also runs a few tracepoints. */
        Event.ProbeType type(int probeId, long funcIp);
    }

    /** Kernel symbol lookup. */
    public interface Symbols {
        /** The symbol containing {@code address} (no offset), or null if unknown. */
        String symbolAt(long address);
    }

    /** Names of {@code enum skb_drop_reason} values on this kernel. */
    public interface DropReasonNames {
        /** Name without {@code SKB_DROP_REASON_}, or null if the value is unknown. */
        String name(long value);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final ProbePoints probes;
    private final Symbols symbols;
    private final DropReasonNames dropReasons;
    private final WallClock clock;
    private final String bootId;
    private final int packetBytes;
    private long seq;

    /**
     * @param packetBytes packet bytes to put in {@code packet} (0: null)
     */
    public EventDecoder(ProbePoints probes, Symbols symbols, DropReasonNames dropReasons, WallClock clock,
            String bootId, int packetBytes) {
        this.probes = probes;
        this.symbols = symbols;
        this.dropReasons = dropReasons;
        this.clock = clock;
        this.bootId = bootId;
        this.packetBytes = packetBytes;
    }

    /** Decodes one record; {@code length} is the record's size as the kernel wrote it. */
    public Event decode(ByteBuffer b, int at, int length) {
        if (length < HEADER_SIZE) {
            throw new IllegalArgumentException("ring buffer record of " + length + " bytes, expected at least "
                    + HEADER_SIZE + ": agent and BPF object disagree on the event layout");
        }
        long ktime = b.getLong(at + KTIME_NS);
        int flags = b.get(at + FLAGS) & 0xff;
        int capLen = Math.min(Short.toUnsignedInt(b.getShort(at + CAP_LEN)), Math.min(PKT_MAX, length - PKT));
        PacketHeaders.Parsed headers = capLen > 0
                ? PacketHeaders.parse(b, at + PKT, capLen, (flags & FLAG_L2) != 0)
                : PacketHeaders.Parsed.NONE;
        Event.Fingerprint fp = (flags & FLAG_SYNTHESIZED) != 0 ? rebuiltFromSocket(headers.fp()) : headers.fp();
        long location = b.getLong(at + LOCATION);
        long reason = Integer.toUnsignedLong(b.getInt(at + DROP_REASON));
        int probeId = b.getInt(at + PROBE_ID);
        long funcIp = b.getLong(at + FUNC_IP);
        // At a function (kprobe backends) the location is the caller: it names the free site of a drop.
        String locationName = location == 0 || (funcIp != 0 && reason == 0) ? null : symbols.symbolAt(location);
        String ifname = cString(b, at + IFNAME, 16);
        return new Event(
                clock.toWall(ktime),
                ktime,
                bootId,
                ++seq,
                b.getInt(at + CPU),
                cString(b, at + COMM, 16),
                b.getInt(at + PID),
                "0x" + Long.toHexString(b.getLong(at + SKB)),
                b.getLong(at + PACKET_ID),
                probes.type(probeId, funcIp),
                probes.name(probeId, funcIp),
                locationName,
                reason == 0 ? null : dropReasonName(reason),
                Integer.toUnsignedLong(b.getInt(at + NETNS)),
                Integer.toUnsignedLong(b.getInt(at + MARK)),
                b.getInt(at + IFINDEX),
                ifname.isEmpty() ? null : ifname,
                Short.toUnsignedInt(b.getShort(at + PROTO)),
                b.getInt(at + MTU),
                b.getInt(at + LEN),
                headers.tuple(),
                headers.icmp(),
                stack(b, at, length),
                dump(b, at, length),
                packetBytes > 0 && capLen > 0 && (flags & FLAG_SYNTHESIZED) == 0
                        ? hex(b, at + PKT, Math.min(capLen, packetBytes)) : null,
                funcIp != 0 && location != 0 ? symbols.symbolAt(location) : null,
                fp,
                headers.encap(),
                ConntrackTuples.decode(b, at, length, flags));
    }

    /**
     * Headers rebuilt from the socket (bpf/include/sock.h) hold the real sequence number and the skb's
     * length, but no IP id, acknowledgement or payload: only what is known goes into the fingerprint.
     */
    private static Event.Fingerprint rebuiltFromSocket(Event.Fingerprint fp) {
        return fp == null ? null : new Event.Fingerprint(null, fp.tcpSeq(), null, fp.payloadLen(), null, 0);
    }

    /** Events decoded so far (the last seq). */
    public long decoded() {
        return seq;
    }

    private String dropReasonName(long value) {
        String name = dropReasons.name(value);
        return name != null ? name : Long.toString(value);
    }

    private List<String> stack(ByteBuffer b, int at, int length) {
        int bytes = Short.toUnsignedInt(b.getShort(at + STACK_LEN));
        if (bytes == 0 || length < STACK + bytes) {
            return null;
        }
        List<String> frames = new ArrayList<>(bytes / 8);
        for (int i = 0; i < Math.min(bytes / 8, STACK_MAX); i++) {
            long ip = b.getLong(at + STACK + 8 * i);
            String name = symbols.symbolAt(ip);
            frames.add(name != null ? name : "0x" + Long.toHexString(ip));
        }
        return withoutProbeFrames(frames);
    }

    /**
     * Drops the frames of the probe itself: our BPF program and the kernel's tracepoint runner
     * ({@code bpf_trace_run2}, {@code __bpf_trace_kfree_skb}), so the stack starts where the packet is.
     */
    static List<String> withoutProbeFrames(List<String> frames) {
        int first = 0;
        for (int i = 0; i < Math.min(frames.size(), 6); i++) {
            String f = frames.get(i);
            if (f.startsWith("bpf_trace_run") || f.startsWith("__bpf_trace_") || f.startsWith("__traceiter_")) {
                first = i + 1;
            }
        }
        return List.copyOf(frames.subList(first, frames.size()));
    }

    private static String dump(ByteBuffer b, int at, int length) {
        int bytes = Math.min(Short.toUnsignedInt(b.getShort(at + DUMP_LEN)), DUMP_MAX);
        if (bytes == 0 || length < DUMP + bytes) {
            return null;
        }
        return cString(b, at + DUMP, bytes);
    }

    private static String hex(ByteBuffer b, int from, int count) {
        byte[] bytes = new byte[count];
        b.get(from, bytes, 0, count);
        return HEX.formatHex(bytes);
    }

    private static String cString(ByteBuffer b, int from, int max) {
        int n = 0;
        while (n < max && b.get(from + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(from, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
