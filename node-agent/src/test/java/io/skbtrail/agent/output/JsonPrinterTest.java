package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.WireRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JsonPrinterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void printsOneContractLinePerRecordWithoutHeader() throws IOException {
        OutputOptions options = OutputOptions.defaults().withJson(true)
                .withTimestamp(OutputOptions.Timestamp.RELATIVE).withMeta(false).withPacketBytes(16);
        EventPrinter printer = EventPrinter.create(options, new StreamSink(out, true));
        assertInstanceOf(JsonPrinter.class, printer);
        String text = RecordedEvents.printAll(printer, out);

        List<WireRecord> expected = new ArrayList<>(RecordedEvents.events());
        expected.add(RecordedEvents.LOSS);
        expected.add(RecordedEvents.SUMMARY);
        EventJson json = new EventJson();
        StringBuilder lines = new StringBuilder();
        for (WireRecord record : expected) {
            json.appendTo(lines, record).append('\n');
        }
        assertEquals(lines.toString(), text);

        List<WireRecord> parsed = new ArrayList<>();
        text.lines().forEach(line -> parsed.add(EventJsonParser.parse(line)));
        assertEquals(expected, parsed);
    }

    @Test
    void keepsTheSameEventTextAsTheRecordedInput() throws IOException {
        EventPrinter printer = new JsonPrinter(OutputOptions.defaults().withJson(true), new StreamSink(out, true));
        try (printer) {
            for (Event event : RecordedEvents.events()) {
                printer.print(event);
            }
        }
        // events.ndjson was written by another JSON encoder (Python), so this also checks key order and escaping.
        assertEquals(RecordedEvents.resource("events.ndjson"), out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
