package io.skbtrail.protocol;

/**
 * Strict decoder for lines written by {@link EventJson}, safe on untrusted input (the server validates
 * agent frames with it).
 *
 * <pre>{@code
 * WireRecord record = EventJsonParser.parse(line);
 * if (record instanceof Event event) { ... }
 * }</pre>
 *
 * <p>A line must hold exactly one record of a known {@code type} with every contract field present, of
 * the right JSON type and range, and no other field; field order does not matter. The one exception: an
 * event without all three of {@code fp}, {@code encap} and {@code ct} (written by an agent older than
 * them) is read with the three null. Numbers must be JSON
 * integers; unsigned 32-bit fields ({@code netns}, {@code mark}) must be in 0..4294967295. Anything else
 * throws {@link IllegalArgumentException} whose message names the field path (e.g.
 * {@code event.tuple.sport: expected integer in 0..65535, got string}). Work is linear in the line length;
 * the line length, string length ({@value #MAX_STRING_LENGTH} chars) and nesting depth are capped.
 * Thread-safe (no shared state).
 *
 * <p>Event lines exactly as {@link EventJson} writes them (field order, no whitespace) are read by
 * {@link FastEventLine} in one pass without a tree; every other line falls back to the strict reader, with
 * the same results and messages either way.
 */
public final class EventJsonParser {

    /** Default cap on the length of a line, in characters. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 20;

    /** Cap on any one decoded string, in characters. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;

    /** Cap on the items of an array (the stack frames of an event). */
    public static final int MAX_ARRAY_ITEMS = JsonTree.MAX_MEMBERS;

    private static final long U32_MAX = 0xffff_ffffL;

    private EventJsonParser() {}

    /** Parses one line with the {@linkplain #DEFAULT_MAX_LINE_LENGTH default line cap}. */
    public static WireRecord parse(String line) {
        return parse(line, DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * Parses one line (a trailing {@code \n} or {@code \r\n} is allowed).
     *
     * @param maxLineLength lines longer than this many characters are rejected before parsing
     * @throws IllegalArgumentException when the line is not one valid contract v1 record
     */
    public static WireRecord parse(String line, int maxLineLength) {
        if (line == null) {
            throw new IllegalArgumentException("line: null");
        }
        return parse(line, 0, line.length(), maxLineLength);
    }

    /**
     * Parses the line {@code text[start, end)} without copying it first: {@link EventBatch} hands over its
     * frame. Event lines in the encoder's exact form take {@link FastEventLine}; anything else, including
     * every invalid line, goes to the strict parser, which alone decides on errors and their messages.
     */
    static WireRecord parse(String text, int start, int end, int maxLineLength) {
        if (end - start > maxLineLength) {
            throw new IllegalArgumentException(
                    "line: longer than " + maxLineLength + " characters (" + (end - start) + ")");
        }
        Event event = FastEventLine.parse(text, start, end);
        if (event != null) {
            return event;
        }
        return parseStrict(start == 0 && end == text.length() ? text : text.substring(start, end), maxLineLength);
    }

    /**
     * The strict parser on its own, over a generic JSON tree: the reference behaviour for every line, fast
     * path or not (package-private for the differential test).
     */
    static WireRecord parseStrict(String line, int maxLineLength) {
        if (line == null) {
            throw new IllegalArgumentException("line: null");
        }
        if (line.length() > maxLineLength) {
            throw new IllegalArgumentException(
                    "line: longer than " + maxLineLength + " characters (" + line.length() + ")");
        }
        JsonFields root = new JsonFields("record", JsonTree.parse(line, MAX_STRING_LENGTH));
        String type = root.string("type");
        if (!type.equals("event") && !type.equals("loss") && !type.equals("summary")) {
            throw new IllegalArgumentException("record.type: unknown record type " + JsonTree.quote(type));
        }
        root.rename(type);
        WireRecord record = switch (type) {
            case "event" -> event(root);
            case "loss" -> loss(root);
            default -> summary(root);
        };
        root.requireNoOtherFields();
        return record;
    }

    private static Event event(JsonFields f) {
        // fp, encap and ct came later: an older agent's event has none of the three, and they are null.
        boolean olderAgent = !f.has("fp") && !f.has("encap") && !f.has("ct");
        return new Event(
                f.time("time"),
                f.integer("ktime_ns", 0, Long.MAX_VALUE),
                f.string("boot_id"),
                f.integer("seq", 0, Long.MAX_VALUE),
                f.intValue("cpu", 0, Integer.MAX_VALUE),
                f.string("process"),
                f.intValue("pid", 0, Integer.MAX_VALUE),
                f.string("skb"),
                f.integer("packet_id", 0, Long.MAX_VALUE),
                probeType(f),
                f.string("func"),
                f.nullableString("location"),
                f.nullableString("drop_reason"),
                f.integer("netns", 0, U32_MAX),
                f.integer("mark", 0, U32_MAX),
                f.intValue("ifindex", 0, Integer.MAX_VALUE),
                f.nullableString("iface"),
                f.intValue("proto", 0, 0xffff),
                f.intValue("mtu", 0, Integer.MAX_VALUE),
                f.intValue("len", 0, Integer.MAX_VALUE),
                tuple(f.nullableObject("tuple")),
                icmp(f.nullableObject("icmp")),
                f.nullableStringList("stack"),
                f.nullableString("skb_dump"),
                f.nullableString("packet"),
                f.nullableString("caller"),
                olderAgent ? null : fingerprint(f.nullableObject("fp")),
                olderAgent ? null : encap(f.nullableObject("encap")),
                olderAgent ? null : conntrack(f.nullableObject("ct")));
    }

    private static Event.Fingerprint fingerprint(JsonFields f) {
        if (f == null) {
            return null;
        }
        Long ipId = f.nullableInteger("ip_id", 0, 0xffff);
        Long tcpSeq = f.nullableInteger("tcp_seq", 0, U32_MAX);
        Long tcpAck = f.nullableInteger("tcp_ack", 0, U32_MAX);
        Long payloadLen = f.nullableInteger("payload_len", 0, Integer.MAX_VALUE);
        String hash = f.nullableString("payload_hash");
        if (hash != null && !Event.Fingerprint.isHashText(hash)) {
            throw new IllegalArgumentException("event.fp.payload_hash: expected 16 lower-case hex digits or null, got "
                    + JsonTree.quote(hash));
        }
        int hashed = f.intValue("payload_hashed", 0, Event.Fingerprint.MAX_HASHED);
        if ((hash == null) != (hashed == 0)) {
            throw new IllegalArgumentException("event.fp.payload_hashed: must be 0 exactly when payload_hash is null, got "
                    + hashed);
        }
        f.requireNoOtherFields();
        return new Event.Fingerprint(ipId == null ? null : ipId.intValue(), tcpSeq, tcpAck,
                payloadLen == null ? null : payloadLen.intValue(), hash, hashed);
    }

    private static Event.Encap encap(JsonFields f) {
        if (f == null) {
            return null;
        }
        String type = f.string("type");
        if (!type.equals(Event.Encap.VXLAN)) {
            throw new IllegalArgumentException("event.encap.type: unknown encapsulation " + JsonTree.quote(type));
        }
        Event.Encap encap = new Event.Encap(type, f.integer("vni", 0, 0xff_ffff), tuple(f.nullableObject("tuple")),
                icmp(f.nullableObject("icmp")));
        f.requireNoOtherFields();
        return encap;
    }

    private static Event.Conntrack conntrack(JsonFields f) {
        if (f == null) {
            return null;
        }
        String dir = f.string("dir");
        Event.Conntrack.Direction direction;
        try {
            direction = Event.Conntrack.Direction.fromWireName(dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event.ct.dir: unknown direction " + JsonTree.quote(dir));
        }
        Event.Conntrack ct = new Event.Conntrack(direction, ctTuple(f.object("orig")), ctTuple(f.object("reply")));
        f.requireNoOtherFields();
        return ct;
    }

    private static Event.CtTuple ctTuple(JsonFields f) {
        Event.CtTuple tuple = new Event.CtTuple(
                f.string("saddr"),
                f.string("daddr"),
                f.intValue("sport", 0, 0xffff),
                f.intValue("dport", 0, 0xffff),
                f.string("proto"));
        f.requireNoOtherFields();
        return tuple;
    }

    private static Event.ProbeType probeType(JsonFields f) {
        String name = f.string("probe_type");
        try {
            return Event.ProbeType.fromWireName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event.probe_type: unknown probe type " + JsonTree.quote(name));
        }
    }

    private static Event.Tuple tuple(JsonFields f) {
        if (f == null) {
            return null;
        }
        Event.Tuple tuple = new Event.Tuple(
                f.string("saddr"),
                f.string("daddr"),
                f.intValue("sport", 0, 0xffff),
                f.intValue("dport", 0, 0xffff),
                f.string("proto"),
                f.string("tcp_flags"));
        f.requireNoOtherFields();
        return tuple;
    }

    private static Event.Icmp icmp(JsonFields f) {
        if (f == null) {
            return null;
        }
        Event.Icmp icmp = new Event.Icmp(
                f.intValue("type", 0, 0xff),
                f.intValue("code", 0, 0xff),
                f.intValue("id", 0, 0xffff),
                f.intValue("seq", 0, 0xffff));
        f.requireNoOtherFields();
        return icmp;
    }

    private static LossRecord loss(JsonFields f) {
        return new LossRecord(
                f.time("time"),
                f.string("hop"),
                f.integer("count", 0, Long.MAX_VALUE),
                f.integer("total", 0, Long.MAX_VALUE));
    }

    private static SummaryRecord summary(JsonFields f) {
        return new SummaryRecord(
                f.time("time"),
                f.string("backend"),
                f.intValue("probes", 0, Integer.MAX_VALUE),
                f.integer("matched", 0, Long.MAX_VALUE),
                f.integer("delivered", 0, Long.MAX_VALUE),
                f.integer("printed", 0, Long.MAX_VALUE),
                f.object("lost").counts(),
                f.integer("duration_ns", 0, Long.MAX_VALUE));
    }
}
