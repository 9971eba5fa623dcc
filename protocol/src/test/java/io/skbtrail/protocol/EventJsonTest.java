package io.skbtrail.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventJsonTest {

    private final EventJson json = new EventJson();

    private String encodedProcess(String process) {
        String line = json.toJson(GoldenRecords.arpNulls().toBuilder().process(process).build());
        int start = line.indexOf("\"process\":") + "\"process\":".length();
        return line.substring(start, line.indexOf(",\"pid\":"));
    }

    @Test
    void escapesQuotesBackslashAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0000g\\u001bh\\u007f\"".replace("\\u007f", "\u007f"),
                encodedProcess("a\"b\\c\nd\re\tf\u0000g\u001bh\u007f"));
    }

    @Test
    void escapesMarkupCharactersSoRawJsonCannotInjectHtml() {
        assertEquals("\"\\u003cscript\\u003ealert(1)\\u0026\\u003c/script\\u003e\"",
                encodedProcess("<script>alert(1)&</script>"));
    }

    @Test
    void keepsNonAsciiAsUtf8ButEscapesLineSeparatorsAndLoneSurrogates() {
        assertEquals("\"ñ€😀\\u2028\\u2029\\ud800x\\udc00\"", encodedProcess("ñ€😀\u2028\u2029\ud800x\udc00"));
    }

    @Test
    void escapedStringsRoundTrip() {
        String hostile = "\"\\\n\r\t\b\f\u0000\u001f<>&\u2028\ud800 ok é 😀";
        Event event = GoldenRecords.arpNulls().toBuilder().process(hostile).iface(hostile).build();
        assertEquals(event, EventJsonParser.parse(json.toJson(event)));
    }

    @Test
    void formatsTimeWithNineFractionDigitsAcrossSecondsDaysAndYears() {
        String[] times = {
            "2026-11-24T21:27:03.000000123Z", "2026-11-24T21:27:03.999999999Z", "2026-11-24T21:27:04.000000000Z",
            "2026-12-31T23:59:59.100000000Z", "2027-01-01T00:00:00.000000001Z", "1970-01-01T00:00:00.000000000Z",
            "1969-12-31T23:59:59.500000000Z", "2024-02-29T12:00:00.000000000Z", "0000-01-01T00:00:00.000000000Z",
            "9999-12-31T23:59:59.999999999Z",
        };
        for (String time : times) {
            LossRecord loss = new LossRecord(Instant.parse(time), "rate_limit", 1, 1);
            assertTrue(json.toJson(loss).contains("\"time\":\"" + time + "\""), time);
            assertEquals(loss, EventJsonParser.parse(json.toJson(loss)));
        }
    }

    @Test
    void rejectsTimesOutsideRfc3339Years() {
        LossRecord loss = new LossRecord(Instant.parse("+10000-01-01T00:00:00Z"), "rate_limit", 1, 1);
        assertThrows(IllegalArgumentException.class, () -> json.toJson(loss));
    }

    @Test
    void writesUnsignedFieldsAndSortsSummaryHops() {
        Event event = GoldenRecords.arpNulls().toBuilder().netns(0xffff_fffeL).mark(0x8000_0000L).build();
        String line = json.toJson(event);
        assertTrue(line.contains("\"netns\":4294967294,\"mark\":2147483648,"), line);

        SummaryRecord summary = new SummaryRecord(Instant.EPOCH, "kprobe", 1, 0, 0, 0,
                Map.of("track_evicted", 1L, "agent_buffer", 2L, "recursion", 3L, "kernel_ringbuf", 4L), 0);
        assertTrue(json.toJson(summary).contains(
                "\"lost\":{\"agent_buffer\":2,\"kernel_ringbuf\":4,\"recursion\":3,\"track_evicted\":1}"));
    }

    @Test
    void writesEmptyCollectionsAsEmptyNotNull() {
        Event event = GoldenRecords.arpNulls().toBuilder().stack(java.util.List.of()).build();
        assertTrue(json.toJson(event).contains("\"stack\":[],"));
        SummaryRecord summary = new SummaryRecord(Instant.EPOCH, "kprobe", 1, 0, 0, 0, Map.of(), 0);
        assertTrue(json.toJson(summary).contains("\"lost\":{},"));
    }
}
