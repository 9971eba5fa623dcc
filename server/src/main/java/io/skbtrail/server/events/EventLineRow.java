package io.skbtrail.server.events;

import io.skbtrail.protocol.CalendarDays;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.server.journeys.JoinKeys;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of ingest: one {@code "event"} line, exactly as {@code EventJson} writes it, transcoded from
 * its UTF-8 bytes straight into the COPY row {@link EventRows} would write for it, with no {@link Event},
 * no strings and no second pass.
 *
 * <p><b>What it reads.</b> The rules of the protocol's fast event reader, on bytes: the fields in the
 * encoder's order (which is also the table's column order), no whitespace between tokens, keys and
 * punctuation compared in place, integers in the encoder's form (no sign, no leading zero) checked against
 * each field's range and copied as they are, the {@code time} in the 30-character UTC form. Strings are
 * copied as they are when they hold no escape and no control character: such a string needs no COPY
 * escaping, and the frame was checked to be UTF-8 before. Every value then gets the check {@link EventRows}
 * gives it: a UUID boot id, {@code 0x} and hex digits for the skb (written as the signed number), IPv4
 * addresses with four plain octets (anything with a colon is handed to {@link EventRows#ip} to check and
 * write canonically), lower-case hex packet bytes, a time that nanoseconds since the epoch can hold.
 * Of the contract's newer fields, {@code fp} is taken null or as the encoder writes it (checked as the strict
 * parser checks it), with {@code "encap":null,"ct":null} after it; a line ending after {@code caller}, from an
 * agent older than the three, is taken too. A fingerprinted event with a tuple gets its join and flow keys
 * from {@link JoinKeys}, fed with the numbers and the address and protocol text read here (IPv4 addresses and
 * protocols as bytes of the line, IPv6 addresses as the canonical text {@link EventRows#ip} gives); its
 * {@code alt_key} is null, as without conntrack. A non-null {@code encap} or {@code ct} falls back.
 *
 * <p><b>Fallback contract.</b> {@link #transcode} returns false, having written nothing, as soon as the line
 * is anything else: another record type or field order, whitespace, escapes, any invalid value, anything
 * out of range. It never throws for bad input and never reports errors: the caller then decodes the line
 * and runs the strict parser and {@link EventRows}, which alone accept, refuse and name the fault. So the
 * fast path may be narrower than that pair but never wider, and whatever it accepts it writes
 * byte for byte as they would ({@code EventLineRowDifferentialTest} checks both).
 *
 * <p>One instance per batch being read; not thread-safe.
 */
final class EventLineRow {

    /** Thrown internally to abandon the fast path; stackless and shared, so it costs almost nothing. */
    private static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fallback() {
            super(null, null, false, false);
        }
    }

    private static final Fallback FALLBACK = new Fallback();

    private static final long U32_MAX = 0xffff_ffffL;
    private static final long I32_MAX = Integer.MAX_VALUE;
    private static final byte TAB = '\t';

    private static final byte[] START = ascii("{\"type\":\"event\",\"time\":");
    private static final byte[] KTIME = ascii(",\"ktime_ns\":");
    private static final byte[] BOOT_ID = ascii(",\"boot_id\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] CPU = ascii(",\"cpu\":");
    private static final byte[] PROCESS = ascii(",\"process\":");
    private static final byte[] PID = ascii(",\"pid\":");
    private static final byte[] SKB = ascii(",\"skb\":");
    private static final byte[] PACKET_ID = ascii(",\"packet_id\":");
    private static final byte[] PROBE_TYPE = ascii(",\"probe_type\":");
    private static final byte[] FUNC = ascii(",\"func\":");
    private static final byte[] LOCATION = ascii(",\"location\":");
    private static final byte[] DROP_REASON = ascii(",\"drop_reason\":");
    private static final byte[] NETNS = ascii(",\"netns\":");
    private static final byte[] MARK = ascii(",\"mark\":");
    private static final byte[] IFINDEX = ascii(",\"ifindex\":");
    private static final byte[] IFACE = ascii(",\"iface\":");
    private static final byte[] PROTO = ascii(",\"proto\":");
    private static final byte[] MTU = ascii(",\"mtu\":");
    private static final byte[] LEN = ascii(",\"len\":");
    private static final byte[] TUPLE = ascii(",\"tuple\":");
    private static final byte[] SADDR = ascii("{\"saddr\":");
    private static final byte[] DADDR = ascii(",\"daddr\":");
    private static final byte[] SPORT = ascii(",\"sport\":");
    private static final byte[] DPORT = ascii(",\"dport\":");
    private static final byte[] TUPLE_PROTO = ascii(",\"proto\":");
    private static final byte[] TCP_FLAGS = ascii(",\"tcp_flags\":");
    private static final byte[] ICMP = ascii(",\"icmp\":");
    private static final byte[] ICMP_TYPE = ascii("{\"type\":");
    private static final byte[] ICMP_CODE = ascii(",\"code\":");
    private static final byte[] ICMP_ID = ascii(",\"id\":");
    private static final byte[] ICMP_SEQ = ascii(",\"seq\":");
    private static final byte[] STACK = ascii(",\"stack\":");
    private static final byte[] SKB_DUMP = ascii(",\"skb_dump\":");
    private static final byte[] PACKET = ascii(",\"packet\":");
    private static final byte[] CALLER = ascii(",\"caller\":");
    private static final byte[] FP = ascii(",\"fp\":");
    private static final byte[] NO_ENCAP = ascii(",\"encap\":null");
    private static final byte[] NO_CT = ascii(",\"ct\":null");
    private static final byte[] FP_IP_ID = ascii("{\"ip_id\":");
    private static final byte[] FP_TCP_SEQ = ascii(",\"tcp_seq\":");
    private static final byte[] FP_TCP_ACK = ascii(",\"tcp_ack\":");
    private static final byte[] FP_PAYLOAD_LEN = ascii(",\"payload_len\":");
    private static final byte[] FP_PAYLOAD_HASH = ascii(",\"payload_hash\":");
    private static final byte[] FP_PAYLOAD_HASHED = ascii(",\"payload_hashed\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] COPY_NULL = ascii("\\N");
    private static final byte[] SIX_NULLS = ascii("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N");
    private static final byte[] TWO_NULLS = ascii("\t\\N\t\\N");
    private static final byte[] THREE_NULLS = ascii("\t\\N\t\\N\t\\N");
    private static final byte[] FOUR_NULLS = ascii("\t\\N\t\\N\t\\N\t\\N");
    private static final byte[] BYTEA_PREFIX = ascii("\\\\x");

    /** Probe types by ordinal, with their quoted wire names, matched in place. */
    private static final byte[][] QUOTED_PROBE_TYPES;

    static {
        Event.ProbeType[] types = Event.ProbeType.values();
        QUOTED_PROBE_TYPES = new byte[types.length][];
        for (int i = 0; i < types.length; i++) {
            QUOTED_PROBE_TYPES[i] = ascii('"' + types[i].wireName() + '"');
        }
        if (types.length > 10) {
            throw new IllegalStateException("probe type ordinals are written as one digit");
        }
    }

    private final RowBuffer out;
    private byte[] in;
    private int pos;
    private int end;

    /** The last transcoded event's time, in nanoseconds since the epoch. */
    long timeNs;
    /** Where the last transcoded event's drop reason is in the line, or -1 when it has none. */
    int dropReasonFrom = -1;
    int dropReasonTo;

    // What the join keys are made of, as read from the current line.
    private final AsciiSlice saddrSlice = new AsciiSlice();
    private final AsciiSlice daddrSlice = new AsciiSlice();
    private final AsciiSlice protoSlice = new AsciiSlice();
    private boolean hasTuple;
    private CharSequence saddr;
    private CharSequence daddr;
    private int sport;
    private int dport;
    private int protoFrom;
    private int protoTo;
    private boolean hasIcmp;
    private int icmpId;
    private int icmpSeq;
    private long ipId;
    private long tcpSeq;
    private long tcpAck;

    EventLineRow(RowBuffer out) {
        this.out = out;
    }

    /**
     * Writes the row of the event line that starts at {@code frame[from]} and ends at the first {@code \n}
     * before {@code to}, starting the row with {@code rowStart} (the session and host columns).
     *
     * @param frame valid UTF-8
     * @return where the line's {@code \n} is; or -1, having written nothing, when the line must take the
     *     strict path (see the class comment) or has no {@code \n} before {@code to}
     */
    int transcode(byte[] frame, int from, int to, byte[] rowStart) {
        in = frame;
        pos = from;
        end = to;
        int mark = out.size();
        try {
            row(rowStart);
            return pos;
        } catch (Fallback fallback) {
            out.truncate(mark);
            return -1;
        }
    }

    /** The drop reason of the last transcoded event, or null. */
    String dropReason() {
        return dropReasonFrom < 0 ? null : new String(in, dropReasonFrom, dropReasonTo - dropReasonFrom, StandardCharsets.UTF_8);
    }

    private void row(byte[] rowStart) {
        out.put(rowStart);
        literal(START);
        time();
        literal(KTIME);
        number(Long.MAX_VALUE);
        literal(BOOT_ID);
        uuid();
        literal(SEQ);
        number(Long.MAX_VALUE);
        literal(CPU);
        number(I32_MAX);
        literal(PROCESS);
        string();
        literal(PID);
        number(I32_MAX);
        literal(SKB);
        skb();
        literal(PACKET_ID);
        number(Long.MAX_VALUE);
        literal(PROBE_TYPE);
        probeType();
        literal(FUNC);
        string();
        literal(LOCATION);
        nullableString();
        literal(DROP_REASON);
        dropReasonFrom = -1;
        if (!nullLiteral()) {
            dropReasonFrom = pos + 1;
            string();
            dropReasonTo = pos - 1;
        }
        literal(NETNS);
        number(U32_MAX);
        literal(MARK);
        number(U32_MAX);
        literal(IFINDEX);
        number(I32_MAX);
        literal(IFACE);
        nullableString();
        literal(PROTO);
        number(0xffff);
        literal(MTU);
        number(I32_MAX);
        literal(LEN);
        number(I32_MAX);
        literal(TUPLE);
        tuple();
        literal(ICMP);
        icmp();
        literal(STACK);
        stack();
        literal(SKB_DUMP);
        nullableString();
        literal(PACKET);
        packet();
        literal(CALLER);
        nullableString();
        // An older agent's line ends here (the strict parser reads fp, encap and ct as null then). A
        // non-null encap or ct falls back: their keys come from the inner packet or conntrack's tuples.
        boolean fingerprinted = false;
        if (tryLiteral(FP)) {
            if (tryLiteral(NULL)) {
                out.put(SIX_NULLS);
            } else {
                fingerprint();
                fingerprinted = true;
            }
            literal(NO_ENCAP);
            literal(NO_CT);
        } else {
            out.put(SIX_NULLS);
        }
        out.put(TWO_NULLS); // encap, ct
        if (fingerprinted && hasTuple) {
            joinKeys();
        } else {
            out.put(THREE_NULLS); // no keys without a fingerprint and a tuple
        }
        if (pos >= end || in[pos] != '}') {
            throw FALLBACK;
        }
        pos++;
        // Like the strict parser, allow trailing whitespace (a \r before the \n) and nothing else. No value
        // read above can hold a \n (a raw control character in a string falls back), so this is the line's.
        for (; pos < end; pos++) {
            byte c = in[pos];
            if (c == '\n') {
                out.put((byte) '\n');
                return;
            }
            if (c != ' ' && c != '\t' && c != '\r') {
                throw FALLBACK;
            }
        }
        throw FALLBACK;
    }

    private void tuple() {
        hasTuple = false;
        if (tryLiteral(NULL)) {
            out.put(SIX_NULLS);
            return;
        }
        literal(SADDR);
        saddr = ip(saddrSlice);
        literal(DADDR);
        daddr = ip(daddrSlice);
        literal(SPORT);
        sport = (int) number(0xffff);
        literal(DPORT);
        dport = (int) number(0xffff);
        literal(TUPLE_PROTO);
        protoFrom = pos + 1;
        string();
        protoTo = pos - 1;
        literal(TCP_FLAGS);
        string();
        literal('}');
        hasTuple = true;
    }

    private void icmp() {
        hasIcmp = false;
        if (tryLiteral(NULL)) {
            out.put(FOUR_NULLS);
            return;
        }
        literal(ICMP_TYPE);
        number(0xff);
        literal(ICMP_CODE);
        number(0xff);
        literal(ICMP_ID);
        icmpId = (int) number(0xffff);
        literal(ICMP_SEQ);
        icmpSeq = (int) number(0xffff);
        literal('}');
        hasIcmp = true;
    }

    /**
     * A fingerprint as the encoder writes it, checked as the strict parser checks it: the marks in their
     * ranges, the payload hash 16 lower-case hex digits (written as the signed 64-bit number), and null
     * exactly when no payload byte was hashed.
     */
    private void fingerprint() {
        literal(FP_IP_ID);
        ipId = nullableNumber(0xffff);
        literal(FP_TCP_SEQ);
        tcpSeq = nullableNumber(U32_MAX);
        literal(FP_TCP_ACK);
        tcpAck = nullableNumber(U32_MAX);
        literal(FP_PAYLOAD_LEN);
        nullableNumber(I32_MAX);
        literal(FP_PAYLOAD_HASH);
        boolean hashed = !nullLiteral();
        if (hashed) {
            if (pos + 18 > end || in[pos] != '"' || in[pos + 17] != '"') {
                throw FALLBACK;
            }
            long hash = 0;
            for (int i = pos + 1; i < pos + 17; i++) {
                byte c = in[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0) {
                    throw FALLBACK;
                }
                hash = hash << 4 | d;
            }
            pos += 18;
            out.put(TAB);
            out.putLong(hash);
        }
        literal(FP_PAYLOAD_HASHED);
        long count = number(Event.Fingerprint.MAX_HASHED);
        if ((count != 0) != hashed) {
            throw FALLBACK;
        }
        literal('}');
    }

    /**
     * The join and flow keys of a fingerprinted event with a tuple, as {@link JoinKeys#of} makes them without
     * encap and conntrack (so no {@code alt_key}). A protocol that is not ASCII falls back: the keys hash its
     * UTF-16 characters, which bytes are not.
     */
    private void joinKeys() {
        if (!AsciiSlice.isAscii(in, protoFrom, protoTo)) {
            throw FALLBACK;
        }
        CharSequence proto = JoinKeys.protoName(protoSlice.set(in, protoFrom, protoTo));
        boolean isIcmp = JoinKeys.isIcmp(proto);
        int from = isIcmp ? (hasIcmp ? icmpId : 0) : sport;
        int to = isIcmp ? 0 : dport;
        long seq = isIcmp && hasIcmp ? icmpSeq : JoinKeys.NO_MARK;
        out.put(TAB);
        out.putLong(JoinKeys.joinKey(proto, saddr, daddr, from, to, ipId, tcpSeq, tcpAck, seq));
        out.put(TAB);
        out.put(COPY_NULL);
        out.put(TAB);
        out.putLong(JoinKeys.flowKey(proto, saddr, daddr, from, to));
    }

    /** A nullable {@link #number}; returns {@link JoinKeys#NO_MARK} for null. */
    private long nullableNumber(long max) {
        return nullLiteral() ? JoinKeys.NO_MARK : number(max);
    }

    /**
     * The {@code time} in the 30-character form the encoder writes, as nanoseconds since the epoch; other
     * forms and dates {@code LocalDateTime.of} would refuse fall back, as do times beyond what a long of
     * nanoseconds holds (before 1677, after 2262).
     */
    private void time() {
        int q = pos + 31;
        if (q >= end || in[pos] != '"' || in[q] != '"') {
            throw FALLBACK;
        }
        int at = pos + 1;
        if (in[at + 4] != '-' || in[at + 7] != '-' || in[at + 10] != 'T' || in[at + 13] != ':' || in[at + 16] != ':'
                || in[at + 19] != '.' || in[at + 29] != 'Z') {
            throw FALLBACK;
        }
        int year = digits(at, 4);
        int month = digits(at + 5, 2);
        int day = digits(at + 8, 2);
        int hour = digits(at + 11, 2);
        int minute = digits(at + 14, 2);
        int second = digits(at + 17, 2);
        int nano = digits(at + 20, 9);
        if (month < 1 || month > 12 || day < 1 || day > CalendarDays.monthLength(year, month) || hour > 23 || minute > 59
                || second > 59) {
            throw FALLBACK;
        }
        long epochSecond = CalendarDays.epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second;
        // Within ±9.2e9 s the nanoseconds fit a long; beyond it, EventRows refuses the time.
        if (epochSecond < -9_223_372_035L || epochSecond > 9_223_372_035L) {
            throw FALLBACK;
        }
        timeNs = epochSecond * 1_000_000_000L + nano;
        out.put(TAB);
        if (epochSecond > 0) {
            // The seconds, then the nine digits of the fraction as they stand in the line.
            out.putLong(epochSecond);
            out.put(in, at + 20, at + 29);
        } else {
            out.putLong(timeNs);
        }
        pos = q + 1;
    }

    private int digits(int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            int d = in[i] - '0';
            if (d < 0 || d > 9) {
                throw FALLBACK;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** A boot id: exactly a quoted UUID of hex digits and four dashes, written as it is. */
    private void uuid() {
        if (pos + 38 > end || in[pos] != '"' || in[pos + 37] != '"') {
            throw FALLBACK;
        }
        for (int i = 0; i < 36; i++) {
            byte c = in[pos + 1 + i];
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : hexValue(c) < 0) {
                throw FALLBACK;
            }
        }
        out.put(TAB);
        out.put(in, pos + 1, pos + 37);
        pos += 38;
    }

    /** An skb address, {@code "0x"} and 1 to 16 hex digits, written as the signed 64-bit number. */
    private void skb() {
        if (pos + 4 > end || in[pos] != '"' || in[pos + 1] != '0' || in[pos + 2] != 'x') {
            throw FALLBACK;
        }
        long value = 0;
        int i = pos + 3;
        for (; i < end && in[i] != '"'; i++) {
            int d = hexValue(in[i]);
            if (d < 0 || i - (pos + 3) == 16) {
                throw FALLBACK;
            }
            value = value << 4 | d;
        }
        if (i == pos + 3 || i == end) {
            throw FALLBACK;
        }
        pos = i + 1;
        out.put(TAB);
        out.putLong(value);
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private void probeType() {
        for (int i = 0; i < QUOTED_PROBE_TYPES.length; i++) {
            if (tryLiteral(QUOTED_PROBE_TYPES[i])) {
                out.put(TAB);
                out.put((byte) ('0' + i));
                return;
            }
        }
        throw FALLBACK;
    }

    /**
     * A non-negative integer in 0..max in the encoder's form, copied as it is (that is also how COPY reads
     * it). What follows the digits is checked by the next literal, so {@code 1.5}, {@code 1e3} or
     * {@code 01} fall back there.
     */
    private long number(long max) {
        int start = pos;
        int p = pos;
        long value = 0;
        while (p < end) {
            int digit = in[p] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
            p++;
        }
        int n = p - start;
        // No digit, a leading zero, or beyond a long: 19 digits overflow into a negative value at most once.
        if (n == 0 || (n > 1 && in[start] == '0') || n > 19 || value < 0 || value > max) {
            throw FALLBACK;
        }
        pos = p;
        out.ensure(n + 1);
        byte[] row = out.array();
        int at = out.size();
        row[at] = TAB;
        for (int i = 0; i < n; i++) {
            row[at + 1 + i] = in[start + i];
        }
        out.advance(n + 1);
        return value;
    }

    private boolean nullLiteral() {
        if (tryLiteral(NULL)) {
            out.put(TAB);
            out.put(COPY_NULL);
            return true;
        }
        return false;
    }

    private void nullableString() {
        if (!nullLiteral()) {
            string();
        }
    }

    private void string() {
        int from = pos + 1;
        int to = plainString();
        out.put(TAB);
        out.put(in, from, to);
    }

    /**
     * Steps over a string with no escape and no control character, which COPY takes as it is; returns where
     * its content ends. Its length in characters is at most its length in bytes, so the cap is checked on
     * bytes: a longer string that would still be within it falls back.
     */
    private int plainString() {
        if (pos >= end || in[pos] != '"') {
            throw FALLBACK;
        }
        int start = pos + 1;
        for (int i = start; i < end; i++) {
            byte c = in[i];
            if (c == '"') {
                if (i - start > EventJsonParser.MAX_STRING_LENGTH) {
                    throw FALLBACK;
                }
                pos = i + 1;
                return i;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                throw FALLBACK;
            }
        }
        throw FALLBACK;
    }

    /**
     * An IP address: four plain decimal octets are written as they are; text with a colon is checked and
     * written canonically by {@link EventRows#ip}, like the strict path does. Returns the canonical text for
     * the join keys: {@code slice} over the line's bytes, or the canonical string.
     */
    private CharSequence ip(AsciiSlice slice) {
        int from = pos + 1;
        int to = plainString();
        out.put(TAB);
        if (isIpv4(from, to)) {
            out.put(in, from, to);
            return slice.set(in, from, to);
        }
        for (int i = from; i < to; i++) {
            if (in[i] == ':') {
                String canonical;
                try {
                    canonical = EventRows.ip(new String(in, from, to - from, StandardCharsets.UTF_8), "tuple");
                } catch (IllegalArgumentException e) {
                    throw FALLBACK;
                }
                out.put(canonical);
                return canonical;
            }
        }
        throw FALLBACK;
    }

    /** Four decimal octets 0..255 without leading zeros, separated by dots (as {@link EventRows} checks). */
    private boolean isIpv4(int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && in[i] >= '0' && in[i] <= '9') {
                value = value * 10 + (in[i] - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && in[start] == '0')) {
                return false;
            }
            octets++;
            if (i == to) {
                return octets == 4;
            }
            if (in[i] != '.' || octets == 4) {
                return false;
            }
            i++;
        }
    }

    /** Stack frames as a text[] literal: plain strings need neither array quoting nor COPY escaping. */
    private void stack() {
        if (nullLiteral()) {
            return;
        }
        literal('[');
        out.put(TAB);
        out.put((byte) '{');
        if (pos < end && in[pos] == ']') {
            pos++;
            out.put((byte) '}');
            return;
        }
        int frames = 0;
        while (true) {
            if (frames == EventJsonParser.MAX_ARRAY_ITEMS) {
                throw FALLBACK;
            }
            int from = pos + 1;
            int to = plainString();
            if (frames > 0) {
                out.put((byte) ',');
            }
            out.put((byte) '"');
            out.put(in, from, to);
            out.put((byte) '"');
            frames++;
            if (pos < end && in[pos] == ']') {
                pos++;
                out.put((byte) '}');
                return;
            }
            literal(',');
        }
    }

    /** Packet bytes: lower-case hex digits in pairs, written as a bytea in hex form. */
    private void packet() {
        if (nullLiteral()) {
            return;
        }
        int from = pos + 1;
        int to = plainString();
        if ((to - from) % 2 != 0) {
            throw FALLBACK;
        }
        for (int i = from; i < to; i++) {
            byte c = in[i];
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                throw FALLBACK;
            }
        }
        out.put(TAB);
        out.put(BYTEA_PREFIX);
        out.put(in, from, to);
    }

    private boolean tryLiteral(byte[] expected) {
        int n = expected.length;
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != expected[i]) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    private void literal(byte[] expected) {
        if (!tryLiteral(expected)) {
            throw FALLBACK;
        }
    }

    private void literal(char expected) {
        if (pos >= end || in[pos] != expected) {
            throw FALLBACK;
        }
        pos++;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
