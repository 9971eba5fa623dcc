package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventPrinterLimitTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Event> events = RecordedEvents.events();

    @Test
    void stopsAfterLimitLinesEventsButStillPrintsLossAndSummary() throws IOException {
        EventPrinter printer = EventPrinter.create(
                OutputOptions.defaults().withJson(true).withLimitLines(2), new StreamSink(out, true));
        assertTrue(printer.print(events.get(0)));
        assertFalse(printer.limitReached());
        assertFalse(printer.print(events.get(1)), "the second event reaches the limit");
        assertTrue(printer.limitReached());
        assertFalse(printer.print(events.get(2)), "events after the limit are dropped");
        assertEquals(2, printer.printed());
        printer.print(RecordedEvents.LOSS);
        printer.print(RecordedEvents.SUMMARY);
        printer.close();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).contains("\"seq\":2,"));
        assertTrue(lines.get(2).startsWith("{\"type\":\"loss\""));
        assertTrue(lines.get(3).startsWith("{\"type\":\"summary\""));
    }

    @Test
    void countsTableEventsNotLines() throws IOException {
        EventPrinter printer = new TablePrinter(OutputOptions.defaults().withStack(true).withLimitLines(3),
                new StreamSink(out, true));
        int accepted = 0;
        for (Event event : events) {
            accepted++;
            if (!printer.print(event)) {
                break;
            }
        }
        printer.close();
        assertEquals(3, accepted);
        assertEquals(3, printer.printed());
        // Header, three events, and the stack of the third.
        assertEquals(1 + 3 + 4, out.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void zeroMeansNoLimit() throws IOException {
        EventPrinter printer = EventPrinter.create(OutputOptions.defaults().withJson(true), new StreamSink(out, true));
        for (int i = 0; i < 1000; i++) {
            assertTrue(printer.print(events.get(i % events.size())));
        }
        assertFalse(printer.limitReached());
        assertEquals(1000, printer.printed());
    }
}
