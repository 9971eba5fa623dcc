package io.skbtrail.server.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventBuilder;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import io.skbtrail.server.journeys.JoinKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast path of ingest ({@link EventLineRow}: JSON bytes straight into a COPY row) against the path it
 * stands in for, the strict parser then {@link EventRows}: for every line it accepts, the same row byte for
 * byte, the same time and drop reason; it never accepts a line that path refuses, for a bad record or a
 * value. And whole batches ({@link BatchRows}) against {@link EventBatch#parse} then {@link EventRows}: the
 * same rows and counters, or the same error message. Inputs: events over many field combinations (values
 * the database takes and values it does not), encoded by {@link EventJson}, and thousands of seeded
 * random mutations of their lines.
 */
@Tag("unit")
class EventLineRowDifferentialTest {
    private static final long SEED = 0x1e57_c0b7L;
    private static final int MAX = 256 * 1024;
    private static final long SESSION = 12;
    private static final long HOST = 34;
    private static final byte[] ROW_START = (SESSION + "\t" + HOST).getBytes(StandardCharsets.US_ASCII);

    private final EventJson json = new EventJson();

    /** The reference: strict parse, then the row EventRows writes; or the error. */
    private static Object reference(String line) {
        WireRecord record;
        try {
            record = EventJsonParser.parse(line, MAX);
        } catch (IllegalArgumentException e) {
            return "record error: " + e.getMessage();
        }
        if (!(record instanceof Event e)) {
            return record;
        }
        try {
            StringBuilder row = new StringBuilder();
            EventRows.append(row, SESSION, HOST, e);
            return row.toString();
        } catch (IllegalArgumentException x) {
            return "value error: " + x.getMessage();
        }
    }

    /** Asserts the fast path agrees with the reference on {@code text}; returns whether it accepted the line. */
    private static boolean assertAgrees(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String line = new String(bytes, StandardCharsets.UTF_8); // what the server decodes (lone surrogates become '?')
        Object expected = reference(line);
        RowBuffer out = new RowBuffer(16);
        out.put((byte) '#'); // rows are appended after what is there
        EventLineRow fast = new EventLineRow(out);
        byte[] framed = Arrays.copyOf(bytes, bytes.length + 2); // the line's end, then the next line's start
        framed[bytes.length] = '\n';
        framed[bytes.length + 1] = '{';
        int lineEnd = fast.transcode(framed, 0, framed.length, ROW_START);
        boolean accepted = lineEnd >= 0;
        if (accepted) {
            assertEquals(bytes.length, lineEnd, () -> "the line's end: " + line);
        }
        assertEquals(-1, fast.transcode(bytes, 0, bytes.length, ROW_START), () -> "a line without its end: " + line);
        if (!accepted) {
            assertEquals(1, out.size(), () -> "a refused line left bytes behind: " + line);
            return false;
        }
        if (!(expected instanceof String row) || row.startsWith("record error") || row.startsWith("value error")) {
            fail("fast path accepted what the strict path gives as " + expected + ": " + line);
            return true;
        }
        byte[] written = Arrays.copyOfRange(out.array(), 1, out.size());
        assertEquals(row, new String(written, StandardCharsets.UTF_8), () -> "row differs for: " + line);
        assertArrayEquals(row.getBytes(StandardCharsets.UTF_8), written);
        Event event = (Event) EventJsonParser.parse(line, MAX);
        assertEquals(EventRows.timeNs(event), fast.timeNs, line);
        assertEquals(event.dropReason(), fast.dropReasonFrom < 0 ? null : fast.dropReason(), line);
        return true;
    }

    @Test
    void encodedEventsTheDatabaseTakesGoTheFastPathWithTheSameRow() {
        Random random = new Random(SEED);
        int accepted = 0;
        int keyed = 0;
        for (int i = 0; i < 4000; i++) {
            String line = json.toJson(randomEvent(random, true));
            boolean fast = assertAgrees(line);
            // Only lines with escapes, with encapsulation or conntrack (their keys come from the inner packet
            // or conntrack's tuples), or a tuple protocol that is not ASCII are left to the strict path.
            boolean encapOrCt = !line.endsWith(",\"encap\":null,\"ct\":null}");
            assertTrue(fast || line.contains("\\") || encapOrCt || !isAscii(line), () -> "fell back on a plain line: " + line);
            accepted += fast ? 1 : 0;
            keyed += fast && !line.contains("\"fp\":null") && !line.contains("\"tuple\":null") ? 1 : 0;
        }
        assertTrue(accepted > 1000, "fast path taken by " + accepted + " of 4000");
        assertTrue(keyed > 600, "fast path with join keys taken by " + keyed + " of 4000");
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Events as real traffic gives them: plain texts, a fingerprint, IPv4 or IPv6 tuples (in every form the
     * agent or a hand-written line may use), ICMP or not, sometimes no tuple. All of them take the fast path,
     * and their rows, join and flow keys included, are the strict path's byte for byte.
     */
    @Test
    void fingerprintedEventsGoTheFastPathWithTheSameKeys() {
        Random random = new Random(SEED + 5);
        String[] protos = {"tcp", "udp", "icmp", "icmp6", "6", "17", "1", "58", "47", ""};
        int icmpKeyed = 0;
        int v6Keyed = 0;
        for (int i = 0; i < 4000; i++) {
            EventBuilder b = base().seq(i).fp(fingerprint(random, true));
            boolean v6 = random.nextBoolean();
            String proto = protos[random.nextInt(protos.length)];
            boolean hasTuple = random.nextInt(8) > 0;
            if (hasTuple) {
                String[] addresses = v6 ? V6 : V4;
                b.tuple(new Event.Tuple(addresses[random.nextInt(addresses.length)],
                        addresses[random.nextInt(addresses.length)], (int) number(random, 0xffff),
                        (int) number(random, 0xffff), proto, proto.equals("tcp") ? "SYN|ACK" : ""));
            }
            boolean hasIcmp = random.nextInt(3) > 0;
            if (hasIcmp) {
                b.icmp(new Event.Icmp(v6 ? 128 : 8, 0, (int) number(random, 0xffff), (int) number(random, 0xffff)));
            }
            String line = json.toJson(b.build());
            assertTrue(assertAgrees(line), () -> "fell back on a fingerprinted line: " + line);
            Object row = reference(line);
            String[] columns = ((String) row).split("\t", -1);
            String joinKey = columns[columns.length - 3];
            assertEquals(hasTuple, !joinKey.equals("\\N"), () -> "a join key exactly with a tuple: " + row);
            boolean icmp = JoinKeys.isIcmp(proto) || proto.equals("1") || proto.equals("58");
            icmpKeyed += hasTuple && icmp && hasIcmp ? 1 : 0;
            v6Keyed += hasTuple && v6 ? 1 : 0;
        }
        assertTrue(icmpKeyed > 300, "ICMP events with keys: " + icmpKeyed);
        assertTrue(v6Keyed > 1000, "IPv6 events with keys: " + v6Keyed);
    }

    @Test
    void encodedEventsWithValuesTheDatabaseRefusesNeverGoTheFastPath() {
        Random random = new Random(SEED + 1);
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            if (assertAgrees(json.toJson(randomEvent(random, false)))) {
                accepted++;
            }
        }
        assertTrue(accepted > 50 && accepted < 3800, "accepted " + accepted + " of 4000");
    }

    @Test
    void handWrittenEdgeCasesAgree() {
        String line = json.toJson(base().tuple(new Event.Tuple("10.1.2.3", "192.168.0.255", 40000, 443, "tcp", "SYN|ACK"))
                .icmp(new Event.Icmp(8, 0, 65535, 1)).stack(List.of("ip_rcv", "__netif_receive_skb_core"))
                .packet("4500003c").location("nf_hook_slow").dropReason("NETFILTER_DROP").build());
        assertTrue(assertAgrees(line));
        String[][] replacements = {
            {"\"seq\":9", "\"seq\":09"}, {"\"seq\":9", "\"seq\":-9"}, {"\"seq\":9", "\"seq\":9.0"},
            {"\"seq\":9", "\"seq\":9223372036854775807"}, {"\"seq\":9", "\"seq\":9223372036854775808"},
            {"\"cpu\":1", "\"cpu\":2147483648"}, {"\"mark\":7", "\"mark\":4294967296"},
            {"\"mark\":7", "\"mark\":4294967295"}, {"\"sport\":40000", "\"sport\":65536"},
            {"\"type\":8", "\"type\":256"}, {"\"id\":65535", "\"id\":65536"},
            {"2026-11-25T10:00:00.000000001Z", "2262-04-11T23:47:16.854775807Z"},
            {"2026-11-25T10:00:00.000000001Z", "2262-04-11T23:47:16.854775808Z"},
            {"2026-11-25T10:00:00.000000001Z", "1677-09-21T00:12:43.145224192Z"},
            {"2026-11-25T10:00:00.000000001Z", "1677-09-21T00:12:43.145224191Z"},
            {"2026-11-25T10:00:00.000000001Z", "0000-01-01T00:00:00.000000000Z"},
            {"2026-11-25T10:00:00.000000001Z", "9999-12-31T23:59:59.999999999Z"},
            {"2026-11-25T10:00:00.000000001Z", "2024-02-29T00:00:00.000000000Z"},
            {"2026-11-25T10:00:00.000000001Z", "2026-02-29T00:00:00.000000000Z"},
            {"2026-11-25T10:00:00.000000001Z", "2026-11-25T10:00:00Z"},
            {"5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10", "5D2E8B6A-3F1C-4E0A-9C1F-7B4D2A9E4C10"},
            {"5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10", "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c1"},
            {"5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10", "5d2e8b6a03f1c-4e0a-9c1f-7b4d2a9e4c10"},
            {"5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10", "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4cg0"},
            {"\"0xffff8b7d9462c600\"", "\"0x0\""}, {"\"0xffff8b7d9462c600\"", "\"0x\""},
            {"\"0xffff8b7d9462c600\"", "\"0xFFFF8B7D9462C600\""}, {"\"0xffff8b7d9462c600\"", "\"0x1ffff8b7d9462c600\""},
            {"\"0xffff8b7d9462c600\"", "\"0x+ff\""}, {"\"0xffff8b7d9462c600\"", "\"ffff8b7d9462c600\""},
            {"\"0xffff8b7d9462c600\"", "\"0x7fffffffffffffff\""}, {"\"0xffff8b7d9462c600\"", "\"0x8000000000000000\""},
            {"10.1.2.3", "10.1.2"}, {"10.1.2.3", "10.1.2.3.4"}, {"10.1.2.3", "10.1.2.256"}, {"10.1.2.3", "10.01.2.3"},
            {"10.1.2.3", "0.0.0.0"}, {"10.1.2.3", "10.1.2.3."}, {"10.1.2.3", ".10.1.2.3"}, {"10.1.2.3", "1000.1.2.3"},
            {"10.1.2.3", "fd00::1"}, {"10.1.2.3", "::ffff:10.1.2.3"}, {"10.1.2.3", "FD00:0::1"}, {"10.1.2.3", "fd00::1%eth0"},
            {"10.1.2.3", "1::2::3"}, {"10.1.2.3", "evil.example"}, {"10.1.2.3", ""}, {"10.1.2.3", "::"},
            {"\"4500003c\"", "\"\""}, {"\"4500003c\"", "\"4500003\""}, {"\"4500003c\"", "\"4500003C\""},
            {"\"4500003c\"", "null"}, {"\"4500003c\"", "\"45 0\""},
            {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[]"}, {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "null"},
            {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[\"a\\\"b\"]"},
            {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[\"a{b}\",\"c,d\",\"\"]"},
            {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[null]"}, {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[1]"},
            {"[\"ip_rcv\",\"__netif_receive_skb_core\"]", "[\"a\",]"},
            {"\"process\":\"curl\"", "\"process\":\"cu\\trl\""}, {"\"process\":\"curl\"", "\"process\":\"wörker 日本 😀\""},
            {"\"process\":\"curl\"", "\"process\":\"a\\\\b\""}, {"\"process\":\"curl\"", "\"process\":\"\\u0000\""},
            {"\"process\":\"curl\"", "\"process\":\"\u007f\""}, {"\"process\":\"curl\"", "\"process\":\"\""},
            {"\"probe_type\":\"tracepoint\"", "\"probe_type\":\"fentry\""},
            {"\"probe_type\":\"tracepoint\"", "\"probe_type\":\"kprobe_multi\""},
            {"\"probe_type\":\"tracepoint\"", "\"probe_type\":\"Tracepoint\""},
            {"\"icmp\":{", "\"icmp\":null,\"x\":{"}, {"\"tuple\":{", "\"tuple\":null,\"x\":{"},
            {"\"location\":\"nf_hook_slow\"", "\"location\":null"},
            {"\"drop_reason\":\"NETFILTER_DROP\"", "\"drop_reason\":null"},
            {"\"drop_reason\":\"NETFILTER_DROP\"", "\"drop_reason\":\"\""},
        };
        for (String[] r : replacements) {
            assertTrue(line.contains(r[0]), r[0]);
            assertAgrees(line.replace(r[0], r[1]));
        }
        assertTrue(assertAgrees(line + "\r"), "a \\r before the line's end");
        assertTrue(assertAgrees(line.replace(",\"fp\":null,\"encap\":null,\"ct\":null}", "}")),
                "an older agent's line, without fp, encap and ct");
        String withFp = json.toJson(base().tuple(new Event.Tuple("10.1.2.3", "192.168.0.255", 40000, 443, "tcp", "ACK"))
                .fp(new Event.Fingerprint(7238, 1581918993L, 0L, 31, "187aba96032e0996", 31)).build());
        assertTrue(assertAgrees(withFp), "a fingerprinted line");
        assertTrue(assertAgrees(json.toJson(base().fp(new Event.Fingerprint(null, null, null, null, null, 0)).build())),
                "a fingerprint of nulls, without a tuple");
        String echo = json.toJson(base().tuple(new Event.Tuple("fd00::1", "FD00:0:0::2", 0, 0, "icmp6", ""))
                .icmp(new Event.Icmp(128, 0, 4321, 7)).fp(new Event.Fingerprint(null, null, null, 56, null, 0)).build());
        assertTrue(assertAgrees(echo), "an ICMPv6 echo");
        String[][] keyReplacements = {
            {"\"icmp6\"", "\"58\""}, {"\"icmp6\"", "\"icmp\""}, {"\"icmp6\"", "\"1\""}, {"\"icmp6\"", "\"udp\""},
            {"\"icmp6\"", "\"ICMP6\""}, {"\"icmp6\"", "\"ícmp6\""}, {"\"icmp6\"", "\"icmp\\u0036\""},
            {"\"fd00::1\"", "\"FD00:0::1\""}, {"\"fd00::1\"", "\"::ffff:10.1.2.3\""}, {"\"fd00::1\"", "\"10.1.2.3\""},
            {"\"fd00::1\"", "\"fd00::1%eth0\""}, {"\"icmp\":{\"type\":128,\"code\":0,\"id\":4321,\"seq\":7}", "\"icmp\":null"},
            {"\"id\":4321", "\"id\":65536"}, {"\"seq\":7}", "\"seq\":65535}"},
        };
        for (String[] r : keyReplacements) {
            assertTrue(echo.contains(r[0]), r[0]);
            assertAgrees(echo.replace(r[0], r[1]));
        }
        assertTrue(assertAgrees(withFp.replace("\"ip_id\":7238", "\"ip_id\":null")), "a null mark");
        String[][] fpReplacements = {
            {"\"ip_id\":7238", "\"ip_id\":65535"}, {"\"ip_id\":7238", "\"ip_id\":65536"},
            {"\"ip_id\":7238", "\"ip_id\":null"}, {"\"ip_id\":7238", "\"ip_id\":-1"},
            {"\"ip_id\":7238", "\"ip_id\":07238"}, {"\"tcp_seq\":1581918993", "\"tcp_seq\":4294967295"},
            {"\"tcp_seq\":1581918993", "\"tcp_seq\":4294967296"}, {"\"tcp_ack\":0", "\"tcp_ack\":null"},
            {"\"tcp_ack\":0", "\"tcp_ack\":00"}, {"\"payload_len\":31", "\"payload_len\":2147483648"},
            {"\"payload_len\":31", "\"payload_len\":null"}, {"\"payload_len\":31", "\"payload_len\":\"31\""},
            {"\"187aba96032e0996\"", "\"187ABA96032E0996\""}, {"\"187aba96032e0996\"", "\"187aba96032e099\""},
            {"\"187aba96032e0996\"", "\"187aba96032e09961\""}, {"\"187aba96032e0996\"", "\"187aba96032e099g\""},
            {"\"187aba96032e0996\"", "\"\\u003187aba96032e0996\""}, {"\"187aba96032e0996\"", "null"},
            {"\"187aba96032e0996\",\"payload_hashed\":31", "null,\"payload_hashed\":0"},
            {"\"payload_hashed\":31", "\"payload_hashed\":32"}, {"\"payload_hashed\":31", "\"payload_hashed\":33"},
            {"\"payload_hashed\":31", "\"payload_hashed\":0"}, {"\"payload_hashed\":31}", "\"payload_hashed\":31,\"x\":1}"},
            {"\"fp\":{", "\"fp\":{\"x\":1,"}, {",\"encap\":null", ""}, {",\"ct\":null", ""},
            {"\"encap\":null", "\"encap\":{}"}, {"\"ct\":null", "\"ct\":7"},
            {"\"encap\":null", "\"encap\":{\"type\":\"vxlan\",\"vni\":42,\"tuple\":null,\"icmp\":null}"},
            {"\"ct\":null", "\"ct\":{\"dir\":\"reply\",\"orig\":{\"saddr\":\"1.2.3.4\",\"daddr\":\"5.6.7.8\",\"sport\":1,"
                    + "\"dport\":2,\"proto\":\"tcp\"},\"reply\":{\"saddr\":\"5.6.7.8\",\"daddr\":\"1.2.3.4\",\"sport\":2,"
                    + "\"dport\":1,\"proto\":\"tcp\"}}"},
        };
        for (String[] r : fpReplacements) {
            assertTrue(withFp.contains(r[0]), r[0]);
            assertAgrees(withFp.replace(r[0], r[1]));
        }
        assertAgrees(line + " x");
        assertAgrees(line + "}");
        assertAgrees(" " + line);
        assertAgrees(line.substring(0, line.length() - 1));
        assertAgrees("");
        assertAgrees("{}");
        String tooLong = line.replace("\"process\":\"curl\"", "\"process\":\"" + "x".repeat(EventJsonParser.MAX_STRING_LENGTH + 1) + "\"");
        assertAgrees(tooLong);
        assertTrue(assertAgrees(line.replace("\"process\":\"curl\"", "\"process\":\""
                + "x".repeat(EventJsonParser.MAX_STRING_LENGTH) + "\"")), "a string at the cap");
    }

    @Test
    void mutationsOfLinesAgree() {
        Random random = new Random(SEED + 2);
        List<String> bases = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            bases.add(json.toJson(randomEvent(random, i % 3 != 0)));
        }
        int accepted = 0;
        int keyed = 0;
        for (int i = 0; i < 12000; i++) {
            String mutated = mutate(random, bases.get(random.nextInt(bases.size())));
            for (int more = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; more > 0; more--) {
                mutated = mutate(random, mutated);
            }
            if (assertAgrees(mutated)) {
                accepted++;
                keyed += mutated.contains("\"fp\":{") && !mutated.contains("\"tuple\":null") ? 1 : 0;
            }
        }
        assertTrue(accepted > 100, "mutations hardly ever kept a valid line: " + accepted);
        assertTrue(keyed > 50, "mutations hardly ever kept a valid fingerprinted line: " + keyed);
    }

    @Test
    void batchesGiveTheSameRowsCountersAndErrors() {
        Random random = new Random(SEED + 3);
        for (int b = 0; b < 400; b++) {
            List<String> lines = new ArrayList<>();
            for (int i = random.nextInt(30); i >= 0; i--) {
                switch (random.nextInt(12)) {
                    case 0 -> lines.add(json.toJson(new LossRecord(Instant.parse("2026-11-25T10:00:00Z"), "kernel_ringbuf",
                            random.nextInt(5), 9)));
                    case 1 -> lines.add(json.toJson(new SummaryRecord(Instant.parse("2026-11-25T10:00:00Z"), "tracepoint",
                            21, 5, 5, 5, Map.of("kernel_ringbuf", 1L), 7)));
                    case 2 -> lines.add(mutate(random, json.toJson(randomEvent(random, true))).replace('\n', ' '));
                    case 3 -> lines.add(json.toJson(randomEvent(random, false)));
                    default -> lines.add(json.toJson(randomEvent(random, true)));
                }
            }
            int count = random.nextInt(20) == 0 ? lines.size() + 1 : lines.size();
            String end = random.nextInt(10) == 0 ? "stopped" : null;
            StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), 5 + b, SESSION, count, end);
            lines.forEach(l -> frame.append(l).append('\n'));
            byte[] bytes = ("##" + frame).getBytes(StandardCharsets.UTF_8);
            String text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8);

            // Now and then a line cap that some lines exceed.
            int max = random.nextInt(6) == 0 ? 300 + random.nextInt(500) : MAX;
            Object expected;
            try {
                expected = BatchRows.of(EventBatch.parse(text, max), HOST);
            } catch (IllegalArgumentException e) {
                expected = "error: " + e.getMessage();
            }
            Object actual;
            try {
                actual = BatchRows.of(bytes, 2, bytes.length, HOST, max, session -> true);
            } catch (IllegalArgumentException e) {
                actual = "error: " + e.getMessage();
            }
            if (expected instanceof String error) {
                assertEquals(error, actual, text);
            } else if (actual instanceof String error) {
                fail("refused (" + error + ") what the strict path takes: " + text);
            } else {
                assertSameRows((BatchRows) expected, (BatchRows) actual, text);
            }
        }
    }

    private static void assertSameRows(BatchRows expected, BatchRows actual, String frame) {
        assertEquals(expected.seq, actual.seq);
        assertEquals(expected.session, actual.session);
        assertEquals(expected.end, actual.end);
        assertEquals(new String(expected.copy.array(), 0, expected.copy.size(), StandardCharsets.UTF_8),
                new String(actual.copy.array(), 0, actual.copy.size(), StandardCharsets.UTF_8), frame);
        assertEquals(expected.events, actual.events);
        assertEquals(expected.drops, actual.drops);
        assertEquals(expected.firstNs, actual.firstNs);
        assertEquals(expected.lastNs, actual.lastNs);
        assertArrayEquals(Arrays.copyOf(expected.timesNs, expected.events), Arrays.copyOf(actual.timesNs, actual.events));
        assertEquals(expected.dropsByReason, actual.dropsByReason);
        assertEquals(expected.lost, actual.lost);
        assertEquals(expected.summary, actual.summary);
        assertEquals(expected.matched, actual.matched);
        // What the live stream gets: the same events, whether read by the strict path or kept as lines.
        assertEquals(expected.stored.count(), actual.stored.count(), frame);
        for (int i = 0; i < expected.stored.count(); i++) {
            assertEquals(expected.stored.event(i), actual.stored.event(i), frame);
        }
    }

    @Test
    void epochDaysAreThoseOfLocalDate() {
        Random random = new Random(SEED + 4);
        for (int i = 0; i < 20000; i++) {
            java.time.LocalDate d = java.time.LocalDate.ofEpochDay(random.nextInt(3_652_059) - 719_528);
            assertEquals(d.toEpochDay(), io.skbtrail.protocol.CalendarDays.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), d.toString());
        }
    }

    // ---- generated events ---------------------------------------------------------------------

    private static EventBuilder base() {
        return Event.builder().time(Instant.parse("2026-11-25T10:00:00.000000001Z")).ktimeNs(1234).seq(9).cpu(1)
                .bootId("5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10").process("curl").pid(42).skb("0xffff8b7d9462c600")
                .packetId(77).probeType(Event.ProbeType.TRACEPOINT).func("net:netif_receive_skb").netns(4026531840L)
                .mark(7).ifindex(2).iface("eth0").proto(2048).mtu(1500).len(60);
    }

    private static final String[] TEXTS = {"", "a", "curl", "wörker", "日本語", "😀", "a\"b", "c\\d", "tab\there",
        "line\nbreak", "\r", "\u0000", "\u007f", "{x}", "a,b", "NULL", "\\N", " ", "kfree_skb_reason", "eth0"};

    private static String text(Random random) {
        if (random.nextInt(10) == 0) {
            char[] chars = new char[random.nextInt(12)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(0x10000);
            }
            return new String(chars);
        }
        return random.nextInt(3) == 0 ? TEXTS[random.nextInt(TEXTS.length)] : "sym_" + random.nextInt(1000);
    }

    private static String nullableText(Random random) {
        return random.nextInt(3) == 0 ? null : text(random);
    }

    private static long number(Random random, long max) {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> max;
            case 2 -> random.nextInt(10);
            default -> (random.nextLong() & Long.MAX_VALUE) % max;
        };
    }

    private static final String[] V4 = {"10.0.0.1", "192.168.255.255", "0.0.0.0", "255.255.255.255", "1.2.3.4"};
    private static final String[] V6 = {"fd00::1", "::", "2001:db8:0:0:0:0:0:1", "::ffff:1.2.3.4", "FE80::A"};
    private static final String[] PROTOS = {"tcp", "udp", "icmp", "icmp6", "6", "1", "58", "47", "", "ü"};
    private static final String[] BAD_IPS = {"evil.example", "256.1.1.1", "01.2.3.4", "1.2.3", "1::2::3", "", "fe80::1%eth0"};

    private static String ip(Random random, boolean valid) {
        if (!valid && random.nextInt(4) == 0) {
            return BAD_IPS[random.nextInt(BAD_IPS.length)];
        }
        return random.nextInt(4) == 0 ? V6[random.nextInt(V6.length)] : V4[random.nextInt(V4.length)];
    }

    /** With {@code valid} false, some values the database would refuse (and times it cannot store). */
    private static Event randomEvent(Random random, boolean valid) {
        boolean bad = !valid;
        Instant time = bad && random.nextInt(6) == 0
                ? (random.nextBoolean() ? Instant.parse("1500-01-01T00:00:00Z") : Instant.parse("2400-01-01T00:00:00Z"))
                : Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
        String boot = java.util.UUID.randomUUID().toString();
        if (random.nextInt(5) == 0) {
            boot = boot.toUpperCase(java.util.Locale.ROOT);
        }
        if (bad && random.nextInt(6) == 0) {
            boot = random.nextBoolean() ? boot.substring(1) : boot.replace('-', '_');
        }
        String skb = "0x" + Long.toHexString(random.nextLong() >>> random.nextInt(64));
        if (bad && random.nextInt(6) == 0) {
            skb = new String[] {"0x", "ffff", "0x1ffff8b7d9462c6000", "0xg1", "0X12"}[random.nextInt(5)];
        }
        String packet = random.nextBoolean() ? null : hex(random);
        if (bad && packet != null && random.nextInt(4) == 0) {
            packet = random.nextBoolean() ? packet + "a" : packet.toUpperCase(java.util.Locale.ROOT) + "AB";
        }
        EventBuilder b = Event.builder().time(time).ktimeNs(number(random, Long.MAX_VALUE)).bootId(boot)
                .seq(number(random, Long.MAX_VALUE)).cpu((int) number(random, Integer.MAX_VALUE)).process(text(random))
                .pid((int) number(random, Integer.MAX_VALUE)).skb(skb).packetId(number(random, Long.MAX_VALUE))
                .probeType(Event.ProbeType.values()[random.nextInt(Event.ProbeType.values().length)]).func(text(random))
                .location(nullableText(random)).dropReason(random.nextInt(4) == 0 ? text(random) : null)
                .netns(number(random, 0xffff_ffffL)).mark(number(random, 0xffff_ffffL))
                .ifindex((int) number(random, Integer.MAX_VALUE)).iface(nullableText(random))
                .proto((int) number(random, 0xffff)).mtu((int) number(random, Integer.MAX_VALUE))
                .len((int) number(random, Integer.MAX_VALUE)).skbDump(random.nextInt(5) == 0 ? text(random) : null)
                .packet(packet).caller(nullableText(random));
        if (random.nextInt(4) > 0) {
            b.tuple(new Event.Tuple(ip(random, valid), ip(random, valid), (int) number(random, 0xffff),
                    (int) number(random, 0xffff), PROTOS[random.nextInt(PROTOS.length)],
                    new String[] {"", "SYN", "SYN|ACK"}[random.nextInt(3)]));
        }
        if (random.nextInt(3) == 0) {
            b.icmp(new Event.Icmp((int) number(random, 0xff), (int) number(random, 0xff), (int) number(random, 0xffff),
                    (int) number(random, 0xffff)));
        }
        if (random.nextInt(5) > 0) {
            b.fp(fingerprint(random, valid));
        }
        if (random.nextInt(10) == 0) {
            b.encap(new Event.Encap(Event.Encap.VXLAN, number(random, 0xff_ffff), random.nextBoolean() ? null
                    : new Event.Tuple(ip(random, true), ip(random, true), (int) number(random, 0xffff),
                            (int) number(random, 0xffff), "tcp", "SYN"),
                    random.nextBoolean() ? null : new Event.Icmp(8, 0, 1, 2)));
        }
        if (random.nextInt(10) == 0) {
            Event.CtTuple orig = new Event.CtTuple(ip(random, true), ip(random, true), (int) number(random, 0xffff),
                    (int) number(random, 0xffff), "udp");
            Event.CtTuple reply = new Event.CtTuple(orig.daddr(), orig.saddr(), orig.dport(), orig.sport(), "udp");
            b.ct(new Event.Conntrack(random.nextBoolean() ? Event.Conntrack.Direction.ORIGINAL
                    : Event.Conntrack.Direction.REPLY, orig, reply));
        }
        if (random.nextInt(3) == 0) {
            List<String> stack = new ArrayList<>();
            for (int i = random.nextInt(8); i > 0; i--) {
                stack.add(text(random));
            }
            b.stack(stack);
        }
        return b.build();
    }

    /** A packet fingerprint; with {@code valid} false, now and then one the strict parser refuses. */
    private static Event.Fingerprint fingerprint(Random random, boolean valid) {
        Integer ipId = random.nextInt(4) == 0 ? null : (int) number(random, 0xffff);
        Long tcpSeq = random.nextInt(3) == 0 ? null : number(random, 0xffff_ffffL);
        Long tcpAck = tcpSeq == null ? null : number(random, 0xffff_ffffL);
        Integer payloadLen = random.nextInt(4) == 0 ? null : (int) number(random, Integer.MAX_VALUE);
        String hash = null;
        int hashed = 0;
        if (random.nextBoolean()) {
            hash = Event.Fingerprint.hashText(random.nextLong());
            hashed = 1 + random.nextInt(Event.Fingerprint.MAX_HASHED);
        }
        if (!valid && random.nextInt(4) == 0) {
            switch (random.nextInt(4)) {
                case 0 -> hashed = hash == null ? 5 : 0;
                case 1 -> hashed = Event.Fingerprint.MAX_HASHED + 1;
                case 2 -> {
                    hash = "ABCDEF0123456789";
                    hashed = 3;
                }
                default -> {
                    hash = "0123";
                    hashed = 3;
                }
            }
        }
        return new Event.Fingerprint(ipId, tcpSeq, tcpAck, payloadLen, hash, hashed);
    }

    private static String hex(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(40) * 2; i > 0; i--) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    // ---- mutations ----------------------------------------------------------------------------

    private static final String ALPHABET = "\"\\{}[],: \t\r0123456789-+.eExXnulaf/:_é😀\u0001";
    private static final String[] TOKENS = {"0", "-0", "01", "1.0", "1e2", "65535", "65536", "4294967295",
        "4294967296", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "-1", "null", "true",
        "\"\"", "\"x\"", "{}", "[]", "[\"a\"]", "\"0x1\"", "\"10.0.0.1\"", "\"::1\"", "\"ab\"", "\"AB\"",
        "\"2026-11-24T21:27:03.000000123Z\"", "\"2026-02-30T21:27:03.000000123Z\"", "\"fentry\""};

    private static String mutate(Random random, String line) {
        if (line.isEmpty()) {
            return String.valueOf(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        int at = random.nextInt(line.length());
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        switch (random.nextInt(6)) {
            case 0:
                return line.substring(0, at) + line.substring(at + 1);
            case 1:
                return line.substring(0, at) + c + line.substring(at);
            case 2:
                return line.substring(0, at) + c + line.substring(at + 1);
            case 3:
                return line.substring(0, at);
            default: {
                // a value replaced by a token: after a colon, up to the next comma or closing brace
                int colon = line.indexOf(':', at);
                if (colon < 0) {
                    return line;
                }
                int stop = colon + 1;
                int depth = 0;
                boolean inString = false;
                for (; stop < line.length(); stop++) {
                    char ch = line.charAt(stop);
                    if (inString) {
                        if (ch == '\\') {
                            stop++;
                        } else if (ch == '"') {
                            inString = false;
                        }
                    } else if (ch == '"') {
                        inString = true;
                    } else if (ch == '{' || ch == '[') {
                        depth++;
                    } else if ((ch == '}' || ch == ']') && depth-- == 0) {
                        break;
                    } else if (ch == ',' && depth == 0) {
                        break;
                    }
                }
                return line.substring(0, colon + 1) + TOKENS[random.nextInt(TOKENS.length)]
                        + line.substring(Math.min(stop, line.length()));
            }
        }
    }
}
