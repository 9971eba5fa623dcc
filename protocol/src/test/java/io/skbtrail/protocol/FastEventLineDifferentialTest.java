package io.skbtrail.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link FastEventLine} inside {@link EventJsonParser#parse}) against the strict parser
 * alone ({@link EventJsonParser#parseStrict}): for every line, the same record or the same error message.
 * Inputs: the golden files, events built over many field combinations and encoded by {@link EventJson},
 * and thousands of seeded random mutations of valid lines.
 */
@Tag("unit")
class FastEventLineDifferentialTest {

    private static final long SEED = 0x5eed_b7a1L;
    private static final int MAX = EventJsonParser.DEFAULT_MAX_LINE_LENGTH;

    private final EventJson json = new EventJson();

    /** What a parser made of a line: the record, or the error text. */
    private static Object outcome(java.util.function.Supplier<WireRecord> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Asserts both parsers agree on {@code line}; returns whether the fast path itself accepted it. */
    private static boolean assertSameOutcome(String line) {
        Object strict = outcome(() -> EventJsonParser.parseStrict(line, MAX));
        Object combined = outcome(() -> EventJsonParser.parse(line, MAX));
        assertEquals(strict, combined, () -> "line: " + line);
        Event fast = FastEventLine.parse(line, 0, line.length());
        if (fast != null) {
            // The fast path must never accept what the strict parser refuses, nor differ from it.
            assertEquals(strict, fast, () -> "fast path accepted differently: " + line);
            if (fast.stack() != null) {
                assertEquals(((Event) strict).stack().getClass(), fast.stack().getClass());
            }
        }
        return fast != null;
    }

    private String encode(WireRecord record) {
        return json.toJson(record);
    }

    @Test
    void goldenFilesParseAlikeAndEventsTakeTheFastPath() {
        for (Map.Entry<String, WireRecord> golden : GoldenRecords.all().entrySet()) {
            String line = GoldenRecords.read(golden.getKey());
            boolean fast = assertSameOutcome(line);
            assertSameOutcome(line.strip());
            assertSameOutcome(line.strip() + "\r\n");
            assertEquals(golden.getValue() instanceof Event, fast, golden.getKey());
            assertEquals(golden.getValue(), EventJsonParser.parse(line));
        }
        String frame = LinkJsonGoldenTest.golden("events.ndjson");
        for (String line : frame.split("\n")) {
            assertSameOutcome(line);
        }
    }

    @Test
    void encodedEventsOverManyFieldCombinationsRoundTripOnTheFastPath() {
        Random random = new Random(SEED);
        for (int i = 0; i < 3000; i++) {
            Event event = randomEvent(random, true);
            String line = encode(event);
            assertTrue(assertSameOutcome(line), () -> "fell back on encoder output: " + line);
            assertEquals(event, FastEventLine.parse(line, 0, line.length()));
            String older = olderAgentForm(line);
            assertTrue(assertSameOutcome(older), () -> "fell back on an older agent's line: " + older);
            assertEquals(event.toBuilder().fp(null).encap(null).ct(null).build(),
                    FastEventLine.parse(older, 0, older.length()));
        }
    }

    /** The line as an agent older than fp, encap and ct writes it: without the three. */
    private static String olderAgentForm(String line) {
        // A quote inside a string is escaped, so ,"fp": only occurs as the member itself.
        return line.substring(0, line.lastIndexOf(",\"fp\":")) + "}";
    }

    @Test
    void encodedEventsWithOutOfContractValuesAreRefusedAlike() {
        Random random = new Random(SEED + 1);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            String line = encode(randomEvent(random, false));
            if (!assertSameOutcome(line)) {
                refused++;
            }
        }
        assertTrue(refused > 100, "too few out-of-contract events: " + refused);
    }

    @Test
    void stringLengthCapAndStackCapMatch() {
        String atCap = "x".repeat(EventJsonParser.MAX_STRING_LENGTH);
        String escapedAtCap = "\"".repeat(EventJsonParser.MAX_STRING_LENGTH);
        Event base = GoldenRecords.ipv6Udp();
        assertTrue(assertSameOutcome(encode(base.toBuilder().skbDump(atCap).build())));
        assertTrue(assertSameOutcome(encode(base.toBuilder().skbDump(escapedAtCap).build())));
        assertNull(FastEventLine.parse(encode(base.toBuilder().skbDump(atCap + "x").build()), 0, 1 << 20));
        assertSameOutcome(encode(base.toBuilder().skbDump(atCap + "x").build()));
        assertSameOutcome(encode(base.toBuilder().skbDump(escapedAtCap + "\"").build()));
        assertSameOutcome(encode(base.toBuilder().skbDump("<" + atCap).build()));
        String[] frames = new String[JsonTree.MAX_MEMBERS];
        Arrays.fill(frames, "f");
        assertTrue(assertSameOutcome(encode(base.toBuilder().stackOf(frames).build())));
        String[] tooMany = Arrays.copyOf(frames, JsonTree.MAX_MEMBERS + 1);
        tooMany[JsonTree.MAX_MEMBERS] = "g";
        assertSameOutcome(encode(base.toBuilder().stackOf(tooMany).build()));
        assertSameOutcome(encode(base.toBuilder().stack(Arrays.asList("a", null)).build()));
    }

    @Test
    void handWrittenEdgeCasesMatch() {
        String line = GoldenRecords.read("event-ipv4-tcp-full.ndjson").strip();
        String[][] replacements = {
            {"\"seq\":42", "\"seq\":-0"}, {"\"seq\":42", "\"seq\":042"}, {"\"seq\":42", "\"seq\":42.0"},
            {"\"seq\":42", "\"seq\":4e1"}, {"\"seq\":42", "\"seq\":9223372036854775807"},
            {"\"seq\":42", "\"seq\":9223372036854775808"}, {"\"seq\":42", "\"seq\":99999999999999999999"},
            {"\"seq\":42", "\"seq\":-1"}, {"\"seq\":42", "\"seq\":\"42\""}, {"\"seq\":42", "\"seq\":null"},
            {"\"mark\":4294967295", "\"mark\":4294967296"}, {"\"sport\":43210", "\"sport\":65536"},
            {"\"sport\":43210", "\"sport\":65535"}, {"\"pid\":227116", "\"pid\":2147483648"},
            {"\"pid\":227116", "\"pid\":2147483647"}, {"\"proto\":2048", "\"proto\":65536"},
            {"\"icmp\":null", "\"icmp\":{\"type\":255,\"code\":255,\"id\":65535,\"seq\":65535}"},
            {"\"icmp\":null", "\"icmp\":{\"type\":256,\"code\":0,\"id\":0,\"seq\":0}"},
            {"\"icmp\":null", "\"icmp\":{}"}, {"\"icmp\":null", "\"icmp\":[]"},
            {"\"stack\":[", "\"stack\":[null,"}, {"\"stack\":[", "\"stack\":[1,"},
            {"\"caller\":\"nf_hook_slow\"", "\"caller\":\"nf_hook_slow\",\"extra\":1"},
            {"\"process\":\"curl\"", "\"process\":\"c\\u0075rl\""},
            {"\"process\":\"curl\"", "\"process\":\"\\uD83D\\uDE00\""},
            {"\"process\":\"curl\"", "\"process\":\"\\uD83D\""}, {"\"process\":\"curl\"", "\"process\":\"\\uDE00x\""},
            {"\"process\":\"curl\"", "\"process\":\"\\u00E9\\u00e9\\/\""},
            {"\"process\":\"curl\"", "\"process\":\"\\u００４１\""}, {"\"process\":\"curl\"", "\"process\":\"\\u12\""},
            {"\"process\":\"curl\"", "\"process\":\"\\x\""}, {"\"process\":\"curl\"", "\"process\":\"a\tb\""},
            {"\"process\":\"curl\"", "\"process\":\"\ud83d\""}, {"\"process\":\"curl\"", "\"process\":\"\u007f\""},
            {"\"probe_type\":\"kprobe_multi\"", "\"probe_type\":\"kprobe\""},
            {"\"probe_type\":\"kprobe_multi\"", "\"probe_type\":\"KPROBE\""},
            {"\"probe_type\":\"kprobe_multi\"", "\"probe_type\":\"kprob\\u0065\""},
            {"\"probe_type\":\"kprobe_multi\"", "\"probe_type\":\"kprobe_multix\""},
            {"\"type\":\"event\"", "\"type\":\"ev\\u0065nt\""}, {"\"type\":\"event\"", "\"type\":\"loss\""},
            {"\"ktime_ns\":", "\"ktime\\u005fns\":"},
            {"03.000000123Z", "03.000000123z"}, {"2026-11-24", "2026-02-29"}, {"2026-11-24", "2024-02-29"},
            {"21:27:03", "24:00:00"}, {"21:27:03", "23:59:60"}, {"2026-11-24T", "2026-11-24t"},
            {"\"time\":\"2026", "\"time\":\"\\u0032026"}, {"\"time\":\"2026", "\"time\":\"+2026"},
            {"\"tuple\":{", "\"tuple\":{\"saddr\":\"a\",\"saddr\":\"b\","},
            {"\"location\":\"nf_hook_slow+0x9e\"", "\"location\":nul"},
            {"\"location\":\"nf_hook_slow+0x9e\"", "\"location\":nullnull"},
            {"\"location\":\"nf_hook_slow+0x9e\"", "\"location\":true"},
            {"\"ip_id\":7238", "\"ip_id\":65535"}, {"\"ip_id\":7238", "\"ip_id\":65536"},
            {"\"ip_id\":7238", "\"ip_id\":null"}, {"\"tcp_seq\":1581918993", "\"tcp_seq\":4294967295"},
            {"\"tcp_seq\":1581918993", "\"tcp_seq\":4294967296"}, {"\"tcp_ack\":0", "\"tcp_ack\":-0"},
            {"\"payload_len\":0", "\"payload_len\":2147483648"}, {"\"payload_len\":0", "\"payload_len\":null"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789abcdef\",\"payload_hashed\":32"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789abcdef\",\"payload_hashed\":33"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789ABCDEF\",\"payload_hashed\":1"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789abcde\",\"payload_hashed\":1"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789abcdefa\",\"payload_hashed\":1"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"\\u0030123456789abcdef\",\"payload_hashed\":1"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":\"0123456789abcdef\",\"payload_hashed\":0"},
            {"\"payload_hash\":null,\"payload_hashed\":0", "\"payload_hash\":null,\"payload_hashed\":1"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxlan\",\"vni\":16777215,\"tuple\":null,\"icmp\":null}"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxlan\",\"vni\":16777216,\"tuple\":null,\"icmp\":null}"},
            {"\"encap\":null", "\"encap\":{\"type\":\"geneve\",\"vni\":1,\"tuple\":null,\"icmp\":null}"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxla\\u006e\",\"vni\":1,\"tuple\":null,\"icmp\":null}"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxlan\",\"vni\":1,\"tuple\":null}"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxlan\",\"vni\":1,\"tuple\":{},\"icmp\":null}"},
            {"\"dir\":\"original\"", "\"dir\":\"reply\""}, {"\"dir\":\"original\"", "\"dir\":\"ORIGINAL\""},
            {"\"dir\":\"original\"", "\"dir\":null"}, {"\"dir\":\"original\"", "\"dir\":\"origina\\u006c\""},
            {"\"dport\":80,", "\"dport\":65536,"}, {"\"proto\":\"tcp\"},\"reply\"", "\"proto\":\"tcp\",\"x\":1},\"reply\""},
            {",\"reply\":{\"saddr\":\"1.0.0.1\"", ",\"reply\":null,\"x\":{\"saddr\":\"1.0.0.1\""},
            {",\"encap\":null", ""}, {",\"ct\":{", ",\"x\":{"}, {"\"fp\":{", "\"fp\":null,\"y\":{"},
        };
        for (String[] r : replacements) {
            assertTrue(line.contains(r[0]), r[0]);
            assertSameOutcome(line.replace(r[0], r[1]));
        }
        assertSameOutcome(olderAgentForm(line));
        assertSameOutcome(olderAgentForm(line).replace("\"caller\":", "\"ct\":null,\"caller\":"));
        assertSameOutcome(line + " \t\r\n");
        assertSameOutcome(" " + line);
        assertSameOutcome(line + "x");
        assertSameOutcome(line + "\n\n");
        assertSameOutcome(line + "}");
        assertSameOutcome("");
        assertSameOutcome("{}");
        assertSameOutcome("[" + line + "]");
        assertEquals(outcome(() -> EventJsonParser.parseStrict(line, 100)),
                outcome(() -> EventJsonParser.parse(line, 100)));
        assertEquals(outcome(() -> EventJsonParser.parseStrict(line, line.length())),
                outcome(() -> EventJsonParser.parse(line, line.length())));
    }

    @Test
    void mutationsOfValidLinesParseAlike() {
        Random random = new Random(SEED + 2);
        List<String> bases = new ArrayList<>();
        for (String name : GoldenRecords.all().keySet()) {
            bases.add(GoldenRecords.read(name).strip());
        }
        for (int i = 0; i < 40; i++) {
            bases.add(encode(randomEvent(random, true)));
        }
        int fastAccepted = 0;
        int total = 0;
        for (int i = 0; i < 6000; i++) {
            String base = bases.get(random.nextInt(bases.size()));
            String mutated = mutate(random, base);
            for (int more = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; more > 0; more--) {
                mutated = mutate(random, mutated);
            }
            if (assertSameOutcome(mutated)) {
                fastAccepted++;
            }
            total++;
        }
        System.out.println("differential mutations: " + total + " lines, " + fastAccepted
                + " accepted by the fast path, the rest decided by the strict parser");
        assertTrue(fastAccepted > 100, "mutations hardly ever kept a valid line: " + fastAccepted);
    }

    @Test
    void batchesGiveTheStrictResultsAndMessages() {
        Random random = new Random(SEED + 3);
        List<String> lines = new ArrayList<>();
        for (String name : GoldenRecords.all().keySet()) {
            lines.add(GoldenRecords.read(name).strip());
        }
        for (int i = 0; i < 50; i++) {
            lines.add(encode(randomEvent(random, true)));
        }
        EventBatch batch = EventBatch.parse(frame(lines), MAX);
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(EventJsonParser.parseStrict(lines.get(i), MAX), batch.records().get(i));
        }
        for (int i = 0; i < 500; i++) {
            List<String> changed = new ArrayList<>(lines);
            int at = random.nextInt(changed.size());
            String line = mutate(random, changed.get(at)).replace('\n', ' ');
            changed.set(at, line);
            Object strict = outcome(() -> EventJsonParser.parseStrict(line, MAX));
            Object batchOutcome = outcome(() -> EventBatch.parse(frame(changed), MAX).records().get(at));
            Object expected = strict instanceof String s
                    ? "error: batch record " + (at + 1) + ": " + s.substring("error: ".length())
                    : strict;
            assertEquals(expected, batchOutcome, line);
        }
    }

    private static String frame(List<String> lines) {
        StringBuilder sb = EventBatch.appendHeader(new StringBuilder(), 1, 1, lines.size(), null);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    // ---- generated events -------------------------------------------------------------------------

    private static final String[] STRINGS = {
        "", "a", "curl", "wörker", "日本語", "😀", "a😀b", "\ud800", "\udc00", "x\udbff", "\udfffy",
        "a\"b\\c/d", "<script>&amp;", "\u0000\u0001\u001f", "\n\r\t\b\f", "\u2028\u2029", "\u007f",
        "\u00e9\u00c9", "null", "\\u0041", "0xffff8b7d9462c600", "kfree_skb_reason", "eth0", " ",
    };

    private static String randomString(Random random) {
        if (random.nextInt(8) == 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                sb.append(STRINGS[random.nextInt(STRINGS.length)]);
            }
            return sb.toString();
        }
        if (random.nextInt(10) == 0) {
            char[] chars = new char[random.nextInt(20)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(0x10000);
            }
            return new String(chars);
        }
        return STRINGS[random.nextInt(STRINGS.length)];
    }

    private static String nullable(Random random) {
        return random.nextInt(3) == 0 ? null : randomString(random);
    }

    /** A value in 0..max, often at an edge; with {@code valid} false, sometimes just outside it. */
    private static long number(Random random, long max, boolean valid) {
        if (!valid && random.nextInt(30) == 0) {
            return random.nextBoolean() ? -1 - random.nextInt(3) : (max == Long.MAX_VALUE ? Long.MIN_VALUE : max + 1);
        }
        switch (random.nextInt(6)) {
            case 0: return 0;
            case 1: return max;
            case 2: return max - 1;
            case 3: return 1;
            case 4: return random.nextInt(10);
            default: return (random.nextLong() & Long.MAX_VALUE) % max;
        }
    }

    private static final Instant[] TIMES = {
        java.time.LocalDateTime.of(0, 1, 1, 0, 0).toInstant(java.time.ZoneOffset.UTC), Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.EPOCH, Instant.parse("2024-02-29T12:00:00.5Z"), Instant.parse("2026-11-24T21:27:03.000000123Z"),
    };

    private static Event randomEvent(Random random, boolean valid) {
        long u32 = 0xffff_ffffL;
        int i32 = Integer.MAX_VALUE;
        Instant time = random.nextInt(3) == 0 ? TIMES[random.nextInt(TIMES.length)]
                : Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
        EventBuilder b = Event.builder()
                .time(time)
                .ktimeNs(number(random, Long.MAX_VALUE, valid))
                .bootId(randomString(random))
                .seq(number(random, Long.MAX_VALUE, valid))
                .cpu((int) number(random, i32, valid))
                .process(randomString(random))
                .pid((int) number(random, i32, valid))
                .skb(randomString(random))
                .packetId(number(random, Long.MAX_VALUE, valid))
                .probeType(Event.ProbeType.values()[random.nextInt(Event.ProbeType.values().length)])
                .func(randomString(random))
                .location(nullable(random))
                .dropReason(nullable(random))
                .netns(number(random, u32, valid))
                .mark(number(random, u32, valid))
                .ifindex((int) number(random, i32, valid))
                .iface(nullable(random))
                .proto((int) number(random, 0xffff, valid))
                .mtu((int) number(random, i32, valid))
                .len((int) number(random, i32, valid))
                .skbDump(nullable(random))
                .packet(random.nextBoolean() ? null : hex(random))
                .caller(nullable(random));
        if (random.nextInt(3) > 0) {
            String[] v4 = {"192.168.1.39", "1.0.0.1", "0.0.0.0", "255.255.255.255"};
            String[] v6 = {"2001:db8::1", "::", "fe80::1%eth0", "2606:4700:4700::1001", "::ffff:1.2.3.4"};
            String[] pool = random.nextBoolean() ? v4 : v6;
            b.tuple(new Event.Tuple(random.nextInt(10) == 0 ? randomString(random) : pool[random.nextInt(pool.length)],
                    pool[random.nextInt(pool.length)], (int) number(random, 0xffff, valid),
                    (int) number(random, 0xffff, valid),
                    new String[] {"tcp", "udp", "icmp", "icmp6", "47", ""}[random.nextInt(6)],
                    new String[] {"", "SYN", "SYN|ACK", "FIN|PSH|ACK", "SYN|ECE|CWR"}[random.nextInt(5)]));
        }
        if (random.nextInt(3) == 0) {
            b.icmp(new Event.Icmp((int) number(random, 0xff, valid), (int) number(random, 0xff, valid),
                    (int) number(random, 0xffff, valid), (int) number(random, 0xffff, valid)));
        }
        if (random.nextInt(3) > 0) {
            b.fp(randomFingerprint(random, valid));
        }
        if (random.nextInt(3) == 0) {
            Event.Tuple inner = random.nextInt(4) == 0 ? null : new Event.Tuple(randomString(random),
                    randomString(random), (int) number(random, 0xffff, valid), (int) number(random, 0xffff, valid),
                    new String[] {"tcp", "udp", "icmp", "icmp6"}[random.nextInt(4)], random.nextBoolean() ? "" : "ACK");
            Event.Icmp innerIcmp = random.nextInt(3) > 0 ? null : new Event.Icmp((int) number(random, 0xff, valid),
                    (int) number(random, 0xff, valid), (int) number(random, 0xffff, valid),
                    (int) number(random, 0xffff, valid));
            String type = !valid && random.nextInt(10) == 0 ? randomString(random) : Event.Encap.VXLAN;
            b.encap(new Event.Encap(type, number(random, 0xff_ffff, valid), inner, innerIcmp));
        }
        if (random.nextInt(4) == 0) {
            b.ct(new Event.Conntrack(Event.Conntrack.Direction.values()[random.nextInt(2)],
                    randomCtTuple(random, valid), randomCtTuple(random, valid)));
        }
        if (random.nextInt(3) == 0) {
            List<String> stack = new ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                stack.add(!valid && random.nextInt(20) == 0 ? null : randomString(random));
            }
            b.stack(stack);
        }
        return b.build();
    }

    private static Event.Fingerprint randomFingerprint(Random random, boolean valid) {
        Integer ipId = random.nextInt(3) == 0 ? null : (int) number(random, 0xffff, valid);
        boolean tcp = random.nextBoolean();
        Long seq = tcp ? number(random, 0xffff_ffffL, valid) : null;
        Long ack = tcp && random.nextInt(5) > 0 ? number(random, 0xffff_ffffL, valid) : null;
        Integer payloadLen = random.nextInt(5) == 0 ? null : (int) number(random, Integer.MAX_VALUE, valid);
        int hashed = (int) number(random, Event.Fingerprint.MAX_HASHED, valid);
        String hash = hashed == 0 ? null : Event.Fingerprint.hashText(random.nextLong());
        if (!valid && random.nextInt(15) == 0) {
            String[] bad = {"0123456789ABCDEF", "0123456789abcde", "0123456789abcdefa", "", "g123456789abcdef",
                "０123456789abcdef", null};
            hash = bad[random.nextInt(bad.length)];
        }
        return new Event.Fingerprint(ipId, seq, ack, payloadLen, hash, hashed);
    }

    private static Event.CtTuple randomCtTuple(Random random, boolean valid) {
        String[] v4 = {"10.96.0.10", "192.168.1.39", "1.0.0.1"};
        return new Event.CtTuple(random.nextInt(10) == 0 ? randomString(random) : v4[random.nextInt(v4.length)],
                v4[random.nextInt(v4.length)], (int) number(random, 0xffff, valid), (int) number(random, 0xffff, valid),
                new String[] {"tcp", "udp", "icmp", "132"}[random.nextInt(4)]);
    }

    private static String hex(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(128); i > 0; i--) {
            sb.append(Integer.toHexString(random.nextInt(16)));
        }
        return sb.toString();
    }

    // ---- mutations --------------------------------------------------------------------------------

    private static final String ALPHABET = "\"\\{}[],: \t\r\n0123456789-+.eEnultrfa/_xu\u00e9\ud83d\ude00\u0001\u2028";
    private static final String[] TOKENS = {
        "0", "-0", "01", "1.0", "1e2", "65535", "65536", "4294967295", "4294967296", "2147483647", "2147483648",
        "9223372036854775807", "9223372036854775808", "-1", "null", "true", "\"\"", "\"x\"", "{}", "[]",
        "[\"a\"]", "\"\\u0041\"", "\"\\ud83d\\ude00\"", "\"\\uDE00\"", "\"2026-11-24T21:27:03.000000123Z\"",
        "\"2026-02-30T21:27:03.000000123Z\"", "\"fentry\"", "\"kprobe\"",
        "32", "33", "16777215", "16777216", "\"vxlan\"", "\"original\"", "\"reply\"", "\"0123456789abcdef\"",
        "\"0123456789ABCDEF\"", "{\"type\":\"vxlan\",\"vni\":7,\"tuple\":null,\"icmp\":null}",
    };

    private static String mutate(Random random, String line) {
        if (line.isEmpty()) {
            return String.valueOf(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        int at = random.nextInt(line.length());
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        switch (random.nextInt(10)) {
            case 0:
                return line.substring(0, at) + line.substring(at + 1);
            case 1:
                return line.substring(0, at) + c + line.substring(at);
            case 2:
                return line.substring(0, at) + c + line.substring(at + 1);
            case 3:
                return line.substring(0, at);
            case 4: {
                String[] ws = {" ", "\t", "\r\n", "  "};
                int p = random.nextBoolean() ? at : tokenBoundary(random, line);
                return line.substring(0, p) + ws[random.nextInt(ws.length)] + line.substring(p);
            }
            case 5:
            case 6:
                return reshuffleMembers(random, line);
            case 7:
            case 8:
                return replaceValue(random, line);
            default: {
                // replace a whole member name with another known one
                String[] names = {"type", "seq", "time", "proto", "id", "code", "stack", "tuple", "extra", "Seq",
                    "fp", "encap", "ct", "ip_id", "tcp_seq", "payload_hash", "payload_hashed", "vni", "dir", "orig"};
                List<int[]> members = members(line, randomObject(random, line));
                if (members.isEmpty()) {
                    return line;
                }
                int[] m = members.get(random.nextInt(members.size()));
                int colon = line.indexOf("\":", m[0]);
                if (colon < 0 || colon > m[1]) {
                    return line;
                }
                return line.substring(0, m[0]) + "\"" + names[random.nextInt(names.length)] + line.substring(colon);
            }
        }
    }

    private static int tokenBoundary(Random random, String line) {
        for (int tries = 0; tries < 20; tries++) {
            int p = random.nextInt(line.length());
            char c = line.charAt(p);
            if (c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']') {
                return random.nextBoolean() ? p : p + 1;
            }
        }
        return 0;
    }

    /** Replaces the value of a random member with a token from {@link #TOKENS} or a neighbour's value. */
    private static String replaceValue(Random random, String line) {
        List<int[]> members = members(line, randomObject(random, line));
        if (members.isEmpty()) {
            return line;
        }
        int[] m = members.get(random.nextInt(members.size()));
        int colon = valueStart(line, m[0]);
        if (colon < 0 || colon > m[1]) {
            return line;
        }
        return line.substring(0, colon) + TOKENS[random.nextInt(TOKENS.length)] + line.substring(m[1]);
    }

    /** Swaps two members of an object, duplicates one, or drops one. */
    private static String reshuffleMembers(Random random, String line) {
        int open = randomObject(random, line);
        List<int[]> members = members(line, open);
        if (members.size() < 2) {
            return line;
        }
        List<String> texts = new ArrayList<>();
        for (int[] m : members) {
            texts.add(line.substring(m[0], m[1]));
        }
        int a = random.nextInt(texts.size());
        int b = random.nextInt(texts.size());
        switch (random.nextInt(3)) {
            case 0: {
                String t = texts.get(a);
                texts.set(a, texts.get(b));
                texts.set(b, t);
                break;
            }
            case 1:
                texts.add(b, texts.get(a));
                break;
            default:
                texts.remove(a);
        }
        int first = members.get(0)[0];
        int last = members.get(members.size() - 1)[1];
        return line.substring(0, first) + String.join(",", texts) + line.substring(last);
    }

    /** Offset of a random '{' outside strings (0 if none). */
    private static int randomObject(Random random, String line) {
        List<Integer> opens = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                opens.add(i);
            }
        }
        if (opens.isEmpty()) {
            return -1;
        }
        // the top-level object most of the time, nested ones (tuple, icmp, fp, encap, ct) otherwise
        return random.nextInt(3) > 0 ? opens.get(0) : opens.get(random.nextInt(opens.size()));
    }

    /** [start, end) of each member of the object opening at {@code open}; empty if it is not well formed. */
    private static List<int[]> members(String line, int open) {
        List<int[]> members = new ArrayList<>();
        if (open < 0 || open >= line.length() || line.charAt(open) != '{') {
            return members;
        }
        int depth = 0;
        boolean inString = false;
        int start = open + 1;
        for (int i = open; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    if (i > start) {
                        members.add(new int[] {start, i});
                    }
                    return members;
                }
            } else if (c == ',' && depth == 1) {
                members.add(new int[] {start, i});
                start = i + 1;
            }
        }
        return new ArrayList<>();
    }

    /** Offset just after the colon of the member starting at {@code start}, or -1. */
    private static int valueStart(String line, int start) {
        int colon = line.indexOf("\":", start);
        return colon < 0 ? -1 : colon + 2;
    }

    @Test
    void timesReadInPlaceMatchUtcTimestamp() {
        String line = GoldenRecords.read("event-arp-nulls.ndjson").strip();
        String original = "2026-11-24T21:27:03.000000000Z";
        String[] times = {
            "0000-01-01T00:00:00.000000000Z", "0000-02-29T00:00:00.000000000Z", "9999-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00.000000000Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.000000000Z",
            "1900-02-29T12:00:00.000000000Z", "2100-02-29T12:00:00.000000000Z", "2024-02-29T12:00:00.000000000Z",
            "2023-02-29T12:00:00.000000000Z", "2026-04-31T00:00:00.000000000Z", "2026-04-30T00:00:00.000000000Z",
            "2026-00-10T00:00:00.000000000Z", "2026-13-10T00:00:00.000000000Z", "2026-12-00T00:00:00.000000000Z",
            "2026-12-32T00:00:00.000000000Z", "2026-12-31T24:00:00.000000000Z", "2026-12-31T23:60:00.000000000Z",
            "2026-12-31T23:59:60.000000000Z", "2026-12-31T23:59:59.00000000Z", "2026-12-31T23:59:59.0000000000Z",
            "2026-12-31 23:59:59.000000000Z", "2026-12-31T23:59:59.000000000+", "2026-12-31T23:59:59,000000000Z",
            "2026-1a-31T23:59:59.000000000Z", "-026-12-31T23:59:59.000000000Z", "2026-12-31T23:59:59.00000000aZ",
            "2026-12-31T23:59:59.000000000\u005a", "\u0032026-12-31T23:59:59.000000000Z",
        };
        for (String time : times) {
            assertSameOutcome(line.replace(original, time));
        }
        Random random = new Random(SEED + 4);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong() % 253_402_300_800L; // within years -8000..9999
            Instant instant = Instant.ofEpochSecond(Math.abs(second) - (random.nextBoolean() ? 62_167_219_200L : 0),
                    random.nextInt(1_000_000_000));
            java.time.LocalDate date = instant.atOffset(java.time.ZoneOffset.UTC).toLocalDate();
            assertEquals(date.toEpochDay(),
                    io.skbtrail.protocol.CalendarDays.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()));
            if (date.getYear() >= 0 && date.getYear() <= 9999) {
                assertSameOutcome(line.replace(original, UtcTimestamp.format(instant)));
            }
        }
    }

    @Test
    void fastPathDeclinesOtherRecordsAndOtherOrders() {
        assertNull(FastEventLine.parse(GoldenRecords.read("loss.ndjson"), 0, 10_000));
        String line = GoldenRecords.read("event-ipv6-udp.ndjson");
        assertNotNull(FastEventLine.parse(line, 0, line.length()));
        assertNull(FastEventLine.parse(line.replace(",\"seq\":43,\"cpu\":11", ",\"cpu\":11,\"seq\":43"), 0,
                line.length()));
        assertNull(FastEventLine.parse(line.replace("\"cpu\":11", "\"cpu\": 11"), 0, line.length() + 1));
    }
}
