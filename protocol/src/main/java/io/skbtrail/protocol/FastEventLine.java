package io.skbtrail.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fast path of {@link EventJsonParser} for {@code "event"} lines exactly as {@link EventJson} writes them.
 *
 * <p><b>What it reads.</b> A single forward pass over the characters of one line, with no JSON tree: it
 * expects the fields in the encoder's order, with no whitespace between tokens, and compares every key and
 * punctuation in place against the literal text the encoder writes ({@code ,"ktime_ns":}). Numbers are
 * parsed in place; strings are cut out with one {@code substring} (or unescaped into a builder when they
 * hold a backslash), applying the same rules as {@link JsonTree}: the same escapes, {@code \\uXXXX} giving
 * one UTF-16 unit with no surrogate pairing or checking (as the tree does), raw control characters
 * refused, at most {@link EventJsonParser#MAX_STRING_LENGTH} characters after unescaping. Each value gets
 * exactly the check the strict parser gives it: the same ranges, nullability, the dates {@link UtcTimestamp#parse} accepts
 * for {@code time}, {@link Event.ProbeType#fromWireName} names, and at most {@link JsonTree#MAX_MEMBERS}
 * stack frames. Trailing whitespace after the object is allowed, as the strict parser allows it. A line
 * that ends after {@code caller} (an agent older than {@code fp}, {@code encap} and {@code ct}) is read
 * with the three null, as the strict parser reads it.
 *
 * <p><b>Fallback contract.</b> {@link #parse} returns {@code null} as soon as the text is anything other
 * than what it expects: another record type, another field order, whitespace between tokens, an unknown
 * or duplicate field, a number written differently ({@code -0}, {@code 1.0}, 19+ digit overflow), a
 * {@code \\u} escape with non-ASCII hex digits, and every error. It never throws for bad input and
 * never reports errors itself: the caller then runs the strict parser on the whole line, so results and
 * error messages are byte-for-byte those of the strict parser. The fast path may therefore be narrower
 * than the strict parser (some valid lines fall back) but never wider: everything it accepts, the strict
 * parser accepts with an equal {@link Event}. {@code FastEventLineDifferentialTest} checks this.
 *
 * <p>Not thread-safe; each {@link #parse} call uses its own instance.
 */
final class FastEventLine {

    /** Thrown internally to abandon the fast path; stackless and shared, so it costs almost nothing. */
    private static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fallback() {
            super(null, null, false, false);
        }
    }

    private static final Fallback FALLBACK = new Fallback();

    private static final long U32_MAX = 0xffff_ffffL;

    /** Probe types and their quoted wire names, matched in place. */
    private static final Event.ProbeType[] PROBE_TYPES = Event.ProbeType.values();
    private static final String[] QUOTED_PROBE_TYPES = new String[PROBE_TYPES.length];

    static {
        for (int i = 0; i < PROBE_TYPES.length; i++) {
            QUOTED_PROBE_TYPES[i] = '"' + PROBE_TYPES[i].wireName() + '"';
        }
    }

    private final String text;
    private final int end;
    private int pos;
    /** Only allocated for strings that contain escapes. */
    private StringBuilder unescaped;

    private FastEventLine(String text, int start, int end) {
        this.text = text;
        this.pos = start;
        this.end = end;
    }

    /**
     * The event on {@code text[start, end)}, or {@code null} when the fast path does not apply and the
     * strict parser must decide (see the class comment). Never throws for bad input.
     */
    static Event parse(String text, int start, int end) {
        try {
            return new FastEventLine(text, start, end).event();
        } catch (Fallback fallback) {
            return null;
        }
    }

    /** The whole record, in the order {@link EventJson#appendTo(StringBuilder, Event)} writes it. */
    private Event event() {
        literal("{\"type\":\"event\",\"time\":");
        Instant time = time();
        literal(",\"ktime_ns\":");
        long ktimeNs = integer(Long.MAX_VALUE);
        literal(",\"boot_id\":");
        String bootId = string();
        literal(",\"seq\":");
        long seq = integer(Long.MAX_VALUE);
        literal(",\"cpu\":");
        int cpu = (int) integer(Integer.MAX_VALUE);
        literal(",\"process\":");
        String process = string();
        literal(",\"pid\":");
        int pid = (int) integer(Integer.MAX_VALUE);
        literal(",\"skb\":");
        String skb = string();
        literal(",\"packet_id\":");
        long packetId = integer(Long.MAX_VALUE);
        literal(",\"probe_type\":");
        Event.ProbeType probeType = probeType();
        literal(",\"func\":");
        String func = string();
        literal(",\"location\":");
        String location = nullableString();
        literal(",\"drop_reason\":");
        String dropReason = nullableString();
        literal(",\"netns\":");
        long netns = integer(U32_MAX);
        literal(",\"mark\":");
        long mark = integer(U32_MAX);
        literal(",\"ifindex\":");
        int ifindex = (int) integer(Integer.MAX_VALUE);
        literal(",\"iface\":");
        String iface = nullableString();
        literal(",\"proto\":");
        int proto = (int) integer(0xffff);
        literal(",\"mtu\":");
        int mtu = (int) integer(Integer.MAX_VALUE);
        literal(",\"len\":");
        int len = (int) integer(Integer.MAX_VALUE);
        literal(",\"tuple\":");
        Event.Tuple tuple = tuple();
        literal(",\"icmp\":");
        Event.Icmp icmp = icmp();
        literal(",\"stack\":");
        List<String> stack = stack();
        literal(",\"skb_dump\":");
        String skbDump = nullableString();
        literal(",\"packet\":");
        String packet = nullableString();
        literal(",\"caller\":");
        String caller = nullableString();
        Event.Fingerprint fp = null;
        Event.Encap encap = null;
        Event.Conntrack ct = null;
        if (!tryLiteral("}")) { // an older agent's line ends after caller: the three are null
            literal(",\"fp\":");
            fp = fingerprint();
            literal(",\"encap\":");
            encap = encap();
            literal(",\"ct\":");
            ct = conntrack();
            literal("}");
        }
        // Like the strict parser, allow trailing whitespace (a line's \n or \r\n) and nothing else.
        for (; pos < end; pos++) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw FALLBACK;
            }
        }
        return new Event(time, ktimeNs, bootId, seq, cpu, process, pid, skb, packetId, probeType, func,
                location, dropReason, netns, mark, ifindex, iface, proto, mtu, len, tuple, icmp, stack, skbDump,
                packet, caller, fp, encap, ct);
    }

    private Event.Fingerprint fingerprint() {
        if (tryLiteral("null")) {
            return null;
        }
        literal("{\"ip_id\":");
        Long ipId = nullableInteger(0xffff);
        literal(",\"tcp_seq\":");
        Long tcpSeq = nullableInteger(U32_MAX);
        literal(",\"tcp_ack\":");
        Long tcpAck = nullableInteger(U32_MAX);
        literal(",\"payload_len\":");
        Long payloadLen = nullableInteger(Integer.MAX_VALUE);
        literal(",\"payload_hash\":");
        String hash = nullableString();
        literal(",\"payload_hashed\":");
        int hashed = (int) integer(Event.Fingerprint.MAX_HASHED);
        literal("}");
        if ((hash == null) != (hashed == 0) || hash != null && !Event.Fingerprint.isHashText(hash)) {
            throw FALLBACK;
        }
        return new Event.Fingerprint(ipId == null ? null : ipId.intValue(), tcpSeq, tcpAck,
                payloadLen == null ? null : payloadLen.intValue(), hash, hashed);
    }

    private Event.Encap encap() {
        if (tryLiteral("null")) {
            return null;
        }
        literal("{\"type\":\"vxlan\",\"vni\":");
        long vni = integer(0xff_ffff);
        literal(",\"tuple\":");
        Event.Tuple tuple = tuple();
        literal(",\"icmp\":");
        Event.Icmp icmp = icmp();
        literal("}");
        return new Event.Encap(Event.Encap.VXLAN, vni, tuple, icmp);
    }

    private Event.Conntrack conntrack() {
        if (tryLiteral("null")) {
            return null;
        }
        literal("{\"dir\":");
        Event.Conntrack.Direction dir;
        if (tryLiteral("\"original\"")) {
            dir = Event.Conntrack.Direction.ORIGINAL;
        } else if (tryLiteral("\"reply\"")) {
            dir = Event.Conntrack.Direction.REPLY;
        } else {
            throw FALLBACK;
        }
        literal(",\"orig\":");
        Event.CtTuple orig = ctTuple();
        literal(",\"reply\":");
        Event.CtTuple reply = ctTuple();
        literal("}");
        return new Event.Conntrack(dir, orig, reply);
    }

    private Event.CtTuple ctTuple() {
        Event.CtTuple t = addressesPortsProto();
        literal("}");
        return t;
    }

    /** The fields a packet's tuple and conntrack's share, from the object's opening brace on. */
    private Event.CtTuple addressesPortsProto() {
        literal("{\"saddr\":");
        String saddr = string();
        literal(",\"daddr\":");
        String daddr = string();
        literal(",\"sport\":");
        int sport = (int) integer(0xffff);
        literal(",\"dport\":");
        int dport = (int) integer(0xffff);
        literal(",\"proto\":");
        String proto = string();
        return new Event.CtTuple(saddr, daddr, sport, dport, proto);
    }

    private Long nullableInteger(long max) {
        return tryLiteral("null") ? null : integer(max);
    }

    private Event.Tuple tuple() {
        if (tryLiteral("null")) {
            return null;
        }
        Event.CtTuple t = addressesPortsProto();
        literal(",\"tcp_flags\":");
        String tcpFlags = string();
        literal("}");
        return new Event.Tuple(t.saddr(), t.daddr(), t.sport(), t.dport(), t.proto(), tcpFlags);
    }

    private Event.Icmp icmp() {
        if (tryLiteral("null")) {
            return null;
        }
        literal("{\"type\":");
        int type = (int) integer(0xff);
        literal(",\"code\":");
        int code = (int) integer(0xff);
        literal(",\"id\":");
        int id = (int) integer(0xffff);
        literal(",\"seq\":");
        int seq = (int) integer(0xffff);
        literal("}");
        return new Event.Icmp(type, code, id, seq);
    }

    /** {@code null} or an array of strings (a null item is an error for the strict parser: fall back). */
    private List<String> stack() {
        if (tryLiteral("null")) {
            return null;
        }
        literal("[");
        // Same list type as JsonFields.nullableStringList, so the events are alike in every respect.
        List<String> frames = new ArrayList<>();
        if (tryLiteral("]")) {
            return Collections.unmodifiableList(frames);
        }
        while (true) {
            if (frames.size() == JsonTree.MAX_MEMBERS) {
                throw FALLBACK;
            }
            frames.add(string());
            if (tryLiteral("]")) {
                return Collections.unmodifiableList(frames);
            }
            literal(",");
        }
    }

    /**
     * The {@code time} string, read in place when it is the plain 30-character form the encoder writes;
     * with escapes or any other shape it goes through {@link UtcTimestamp#parse} like the strict parser.
     * The in-place reader accepts exactly the dates {@code LocalDateTime.of} accepts (years 0000..9999,
     * month lengths with Gregorian leap years, hours 0..23, minutes and seconds 0..59) and falls back on
     * everything else.
     */
    private Instant time() {
        int q = pos + 1 + UtcTimestamp.LENGTH;
        if (q < end && text.charAt(pos) == '"' && text.charAt(q) == '"') {
            int at = pos + 1;
            if (text.charAt(at + 4) == '-' && text.charAt(at + 7) == '-' && text.charAt(at + 10) == 'T'
                    && text.charAt(at + 13) == ':' && text.charAt(at + 16) == ':' && text.charAt(at + 19) == '.'
                    && text.charAt(at + 29) == 'Z') {
                int year = digits(at, 4);
                int month = digits(at + 5, 2);
                int day = digits(at + 8, 2);
                int hour = digits(at + 11, 2);
                int minute = digits(at + 14, 2);
                int second = digits(at + 17, 2);
                int nano = digits(at + 20, 9);
                if (month < 1 || month > 12 || day < 1 || day > CalendarDays.monthLength(year, month)
                        || hour > 23 || minute > 59 || second > 59) {
                    throw FALLBACK;
                }
                pos = q + 1;
                long epochSecond = CalendarDays.epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second;
                return Instant.ofEpochSecond(epochSecond, nano);
            }
        }
        String value = string();
        try {
            return UtcTimestamp.parse(value);
        } catch (IllegalArgumentException e) {
            throw FALLBACK;
        }
    }

    /** {@code width} ASCII digits at {@code at} as a number. */
    private int digits(int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw FALLBACK;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private Event.ProbeType probeType() {
        for (int i = 0; i < QUOTED_PROBE_TYPES.length; i++) {
            if (tryLiteral(QUOTED_PROBE_TYPES[i])) {
                return PROBE_TYPES[i];
            }
        }
        throw FALLBACK; // unknown name, or a known one written with escapes
    }

    /**
     * A non-negative JSON integer in 0..max, written as the encoder writes it: digits only, no sign, no
     * leading zero. What follows the digits is checked by the caller's next literal, so {@code 1.5},
     * {@code 1e3} or {@code 01} fall back there.
     */
    private long integer(long max) {
        if (pos >= end) {
            throw FALLBACK;
        }
        char c = text.charAt(pos);
        if (c == '0') {
            pos++;
            return 0;
        }
        if (c < '1' || c > '9') {
            throw FALLBACK; // includes '-': "-0" is valid for the strict parser, but rare enough to leave to it
        }
        long value = 0;
        while (pos < end && (c = text.charAt(pos)) >= '0' && c <= '9') {
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - 9) / 10 && value > (Long.MAX_VALUE - digit) / 10) {
                throw FALLBACK; // beyond a long: the strict parser reports "integer out of range"
            }
            value = value * 10 + digit;
            pos++;
        }
        if (value > max) {
            throw FALLBACK;
        }
        return value;
    }

    private String nullableString() {
        return tryLiteral("null") ? null : string();
    }

    /** A JSON string, unescaped exactly as {@code JsonTree.string()} does. */
    private String string() {
        if (pos >= end || text.charAt(pos) != '"') {
            throw FALLBACK;
        }
        int start = ++pos;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i - start > EventJsonParser.MAX_STRING_LENGTH) {
                    throw FALLBACK;
                }
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\' || c < 0x20) {
                return escapedString(start, i);
            }
        }
        throw FALLBACK; // unterminated
    }

    /** The slow half of {@link #string()}: {@code text[start, firstEscape)} holds no escape. */
    private String escapedString(int start, int firstEscape) {
        if (unescaped == null) {
            unescaped = new StringBuilder(Math.max(16, 2 * (firstEscape - start)));
        }
        StringBuilder sb = unescaped;
        sb.setLength(0);
        sb.append(text, start, firstEscape);
        pos = firstEscape;
        while (true) {
            if (pos >= end) {
                throw FALLBACK; // unterminated
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                // The length only grows, so checking at the end rejects exactly what the strict parser's
                // check after every character rejects.
                if (sb.length() > EventJsonParser.MAX_STRING_LENGTH) {
                    throw FALLBACK;
                }
                return sb.toString();
            }
            if (c < 0x20) {
                throw FALLBACK; // raw control character
            }
            sb.append(c == '\\' ? escape() : c);
        }
    }

    /** The character after a backslash; the same escapes as {@code JsonTree.escape()}. */
    private char escape() {
        if (pos >= end) {
            throw FALLBACK;
        }
        char c = text.charAt(pos++);
        char simple = JsonTree.simpleEscape(c);
        if (simple != 0) {
            return simple;
        }
        switch (c) {
            case 'u':
                if (pos + 4 > end) {
                    throw FALLBACK;
                }
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    value = value << 4 | hexDigit(text.charAt(pos++));
                }
                // One UTF-16 unit, paired or not, exactly like the tree (which does no surrogate checks).
                return (char) value;
            default:
                throw FALLBACK;
        }
    }

    /**
     * ASCII hex digits only. The strict parser uses {@link Character#digit(char, int)}, which also takes
     * e.g. fullwidth digits; those lines fall back, so the result is the same.
     */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw FALLBACK;
    }

    /** Consumes {@code expected} if the text continues with it here, within the line. */
    private boolean tryLiteral(String expected) {
        if (pos + expected.length() <= end && text.startsWith(expected, pos)) {
            pos += expected.length();
            return true;
        }
        return false;
    }

    private void literal(String expected) {
        if (!tryLiteral(expected)) {
            throw FALLBACK;
        }
    }
}
