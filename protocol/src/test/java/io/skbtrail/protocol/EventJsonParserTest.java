package io.skbtrail.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventJsonParserTest {

    private static final String EVENT = GoldenRecords.read("event-ipv4-tcp-full.ndjson").strip();
    private static final String LOSS = GoldenRecords.read("loss.ndjson").strip();

    private static String rejected(String line) {
        return assertThrows(IllegalArgumentException.class, () -> EventJsonParser.parse(line)).getMessage();
    }

    private static void assertRejected(String line, String messagePart) {
        String message = rejected(line);
        if (!message.contains(messagePart)) {
            throw new AssertionError("message <" + message + "> lacks <" + messagePart + ">");
        }
    }

    @Test
    void acceptsFieldsInAnyOrderAndSurroundingWhitespace() {
        String reordered = "  {\"total\":1234, \"count\":17,\"hop\":\"kernel_ringbuf\",\n"
                + "\"time\":\"2026-11-24T21:27:06.250000000Z\",\"type\":\"loss\"}\r\n";
        assertEquals(GoldenRecords.loss(), EventJsonParser.parse(reordered));
    }

    @Test
    void rejectsUnknownTypeMissingFieldsAndUnknownFields() {
        assertRejected(LOSS.replace("\"loss\"", "\"lose\""), "record.type: unknown record type \"lose\"");
        assertRejected("{\"time\":\"2026-11-24T21:27:06.250000000Z\"}", "record.type: missing");
        assertRejected(EVENT.replace("\"mtu\":1500,", ""), "event.mtu: missing");
        assertRejected(EVENT.replace("\"tcp_flags\":\"SYN|ECE|CWR\"", "\"flags\":\"SYN\""),
                "event.tuple.tcp_flags: missing");
        assertRejected(EVENT.replace("\"caller\":", "\"extra\":1,\"caller\":"), "event: unknown field \"extra\"");
        assertRejected(EVENT.replace("\"proto\":\"tcp\"", "\"proto\":\"tcp\",\"x\":null"),
                "event.tuple: unknown field \"x\"");
        assertRejected(LOSS.replace("\"count\"", "\"count\":1,\"count\""), "duplicate field \"count\"");
    }

    @Test
    void readsAnOlderAgentsEventWithoutFingerprintEncapAndConntrackAsNulls() {
        String older = EVENT.substring(0, EVENT.indexOf(",\"fp\":")) + "}";
        Event expected = GoldenRecords.ipv4TcpFull().toBuilder().fp(null).encap(null).ct(null).build();
        assertEquals(expected, EventJsonParser.parse(older));
        assertEquals(expected, EventJsonParser.parse(older.replace("{\"type\":\"event\",", "{ \"type\":\"event\",")));
        // Some but not all three: not an older agent, a broken line.
        assertRejected(EVENT.replace(",\"encap\":null", ""), "event.encap: missing");
        assertRejected(older.replace("\"caller\":", "\"ct\":null,\"caller\":"), "event.fp: missing");
    }

    @Test
    void rejectsFingerprintEncapAndConntrackOutsideTheContract() {
        assertRejected(EVENT.replace("\"ip_id\":7238", "\"ip_id\":65536"),
                "event.fp.ip_id: expected integer in 0..65535 or null, got integer 65536");
        assertRejected(EVENT.replace("\"tcp_seq\":1581918993", "\"tcp_seq\":4294967296"),
                "event.fp.tcp_seq: expected integer in 0..4294967295 or null");
        assertRejected(EVENT.replace("\"payload_hash\":null", "\"payload_hash\":\"0123456789ABCDEF\""),
                "event.fp.payload_hash: expected 16 lower-case hex digits or null, got \"0123456789ABCDEF\"");
        assertRejected(EVENT.replace("\"payload_hashed\":0", "\"payload_hashed\":33"),
                "event.fp.payload_hashed: expected integer in 0..32, got integer 33");
        assertRejected(EVENT.replace("\"payload_hashed\":0", "\"payload_hashed\":4"),
                "event.fp.payload_hashed: must be 0 exactly when payload_hash is null, got 4");
        assertRejected(EVENT.replace("\"tcp_ack\":0,", ""), "event.fp.tcp_ack: missing");
        assertRejected(EVENT.replace("\"payload_hashed\":0", "\"payload_hashed\":0,\"ttl\":64"),
                "event.fp: unknown field \"ttl\"");
        String vxlan = GoldenRecords.read("event-vxlan-encap.ndjson").strip();
        assertRejected(vxlan.replace("\"vxlan\"", "\"geneve\""), "event.encap.type: unknown encapsulation \"geneve\"");
        assertRejected(vxlan.replace("\"vni\":42", "\"vni\":16777216"), "event.encap.vni: expected integer in 0..16777215");
        assertRejected(vxlan.replace("\"sport\":40000", "\"sport\":-1"), "event.encap.tuple.sport: expected integer");
        assertRejected(EVENT.replace("\"dir\":\"original\"", "\"dir\":\"sideways\""),
                "event.ct.dir: unknown direction \"sideways\"");
        assertRejected(EVENT.replace(",\"reply\":{\"saddr\":\"1.0.0.1\"", ",\"reply\":null,\"x\":{\"saddr\":\"1.0.0.1\""),
                "event.ct.reply: expected object, got null");
        assertRejected(EVENT.replace("\"dport\":80,", "\"dport\":80,\"tcp_flags\":\"\","),
                "event.ct.orig: unknown field \"tcp_flags\"");
    }

    @Test
    void rejectsWrongTypesNamingTheField() {
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":\"3\""), "event.cpu: expected integer in 0..2147483647, got string");
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":3.0"), "event.cpu: expected integer in 0..2147483647, got non-integer number");
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":1e2"), "event.cpu: expected integer");
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":-1"), "event.cpu: expected integer in 0..2147483647, got integer -1");
        assertRejected(EVENT.replace("\"seq\":42", "\"seq\":99999999999999999999"), "event.seq: expected integer in 0..9223372036854775807, got integer out of range");
        assertRejected(EVENT.replace("\"mark\":4294967295", "\"mark\":4294967296"), "event.mark: expected integer in 0..4294967295");
        assertRejected(EVENT.replace("\"sport\":43210", "\"sport\":65536"), "event.tuple.sport: expected integer in 0..65535");
        assertRejected(EVENT.replace("\"func\":\"kfree_skb_reason\"", "\"func\":null"), "event.func: expected string, got null");
        assertRejected(EVENT.replace("\"iface\":\"eth0\"", "\"iface\":true"), "event.iface: expected string or null, got boolean");
        assertRejected(EVENT.replace("\"icmp\":null", "\"icmp\":[]"), "event.icmp: expected object or null, got array");
        assertRejected(EVENT.replace("\"tcp_connect\"]", "7]"), "event.stack[6]: expected string, got integer");
        assertRejected(EVENT.replace("\"kprobe_multi\"", "\"KPROBE_MULTI\""), "event.probe_type: unknown probe type \"KPROBE_MULTI\"");
        assertRejected(EVENT.replace("21:27:03.000000123Z", "21:27:03.123Z"), "event.time: expected RFC 3339 UTC time");
        assertRejected(EVENT.replace("2026-11-24T", "2026-02-30T"), "event.time: impossible date");
        assertRejected(GoldenRecords.read("summary.ndjson").replace(":17,", ":-17,"), "summary.lost.\"kernel_ringbuf\": expected integer");
        assertRejected("[]", "record: expected object, got array");
        assertRejected("{\"type\":1}", "record.type: expected string, got integer");
    }

    @Test
    void rejectsMalformedAndTruncatedLines() {
        for (int cut = 0; cut < EVENT.length(); cut += 7) {
            String truncated = EVENT.substring(0, cut);
            assertThrows(IllegalArgumentException.class, () -> EventJsonParser.parse(truncated), truncated);
        }
        assertRejected(EVENT.substring(0, EVENT.length() - 1), "truncated");
        assertRejected(EVENT + "{}", "unexpected text after the JSON value");
        assertRejected(EVENT.replace("\"curl\"", "\"cu\u0001rl\""), "unescaped control character");
        assertRejected(EVENT.replace("\"curl\"", "\"cu\\xrl\""), "bad escape");
        assertRejected(EVENT.replace("\"curl\"", "\"cu\\u12\""), "bad hex digit");
        assertRejected(EVENT.replace("\"icmp\":null", "\"icmp\":nul"), "unknown literal");
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":03"), "expected ',' or '}'");
        assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":-"), "expected a digit");
        assertRejected("", "truncated");
        assertRejected(null, "line: null");
    }

    @Test
    void rejectsHostileInputQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            String deepArrays = "[".repeat(500_000);
            assertRejected(deepArrays, "nesting deeper than 16");
            String deepObjects = "{\"a\":".repeat(200_000);
            assertRejected(deepObjects, "nesting deeper than 16");
            assertRejected(EVENT.replace("\"curl\"", "\"" + "x".repeat(EventJsonParser.MAX_STRING_LENGTH + 1) + "\""),
                    "string longer than 65536 characters");
            assertRejected(EVENT.replace("\"curl\"", "\"" + "\\n".repeat(EventJsonParser.MAX_STRING_LENGTH + 1) + "\""),
                    "string longer than 65536 characters");
            assertRejected("{\"type\":\"event\",\"x\":\"" + "y".repeat(EventJsonParser.DEFAULT_MAX_LINE_LENGTH) + "\"}",
                    "line: longer than 1048576 characters");
            assertRejected(EVENT.replace("\"cpu\":3", "\"cpu\":" + "9".repeat(500_000)), "event.cpu: expected integer");
            assertRejected(EVENT.replace("\"tcp_connect\"]", "\"x\"" + ",\"x\"".repeat(4096) + "]"),
                    "more than 4096 items in an array");
            StringBuilder wide = new StringBuilder("{\"type\":\"loss\"");
            for (int i = 0; i < 5000; i++) {
                wide.append(",\"k").append(i).append("\":1");
            }
            assertRejected(wide.append('}').toString(), "more than 4096 fields in an object");
            String manyFields = "{\"type\":\"loss\"" + ",\"k\":1".repeat(10) + "}";
            assertRejected(manyFields, "duplicate field \"k\"");
        });
    }

    @Test
    void honoursTheLineLengthParameter() {
        String message = assertThrows(IllegalArgumentException.class, () -> EventJsonParser.parse(LOSS, 50))
                .getMessage();
        assertEquals("line: longer than 50 characters (" + LOSS.length() + ")", message);
        assertEquals(GoldenRecords.loss(), EventJsonParser.parse(LOSS, LOSS.length()));
        assertThrows(IllegalArgumentException.class, () -> EventJsonParser.parse(LOSS, LOSS.length() - 1));
    }
}
