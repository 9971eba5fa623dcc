package io.skbtrail.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventJsonGoldenTest {

    @Test
    void encodesEachRecordByteForByteAsTheGoldenLine() {
        EventJson json = new EventJson();
        for (Map.Entry<String, WireRecord> golden : GoldenRecords.all().entrySet()) {
            StringBuilder line = json.appendTo(new StringBuilder(), golden.getValue()).append('\n');
            assertArrayEquals(GoldenRecords.readBytes(golden.getKey()),
                    line.toString().getBytes(StandardCharsets.UTF_8), golden.getKey());
        }
    }

    @Test
    void encodesTheSameWhenOneBuilderIsReusedAcrossRecords() {
        EventJson json = new EventJson();
        StringBuilder batch = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (Map.Entry<String, WireRecord> golden : GoldenRecords.all().entrySet()) {
            json.appendTo(batch, golden.getValue()).append('\n');
            expected.append(GoldenRecords.read(golden.getKey()));
        }
        assertEquals(expected.toString(), batch.toString());
    }

    @Test
    void parsesEachGoldenLineToItsRecord() {
        for (Map.Entry<String, WireRecord> golden : GoldenRecords.all().entrySet()) {
            assertEquals(golden.getValue(), EventJsonParser.parse(GoldenRecords.read(golden.getKey())),
                    golden.getKey());
        }
    }

    @Test
    void roundTripsEachGoldenRecord() {
        EventJson json = new EventJson();
        for (Map.Entry<String, WireRecord> golden : GoldenRecords.all().entrySet()) {
            WireRecord record = golden.getValue();
            assertEquals(record, EventJsonParser.parse(json.toJson(record)), golden.getKey());
        }
    }
}
