package io.skbtrail.agent.output;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test input: the events in {@code events.ndjson} (test resources), plus one loss and one summary record. */
final class RecordedEvents {

    static final LossRecord LOSS = new LossRecord(Instant.parse("2026-11-24T21:27:06Z"), "kernel_ringbuf", 17, 1234);

    static final SummaryRecord SUMMARY = new SummaryRecord(Instant.parse("2026-11-24T21:27:08Z"), "kprobe_multi",
            1462, 1025, 1008, 8, Map.of("rate_limit", 0L, "kernel_ringbuf", 17L), 5_250_000_000L);

    private RecordedEvents() {}

    static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (String line : resource("events.ndjson").split("\n")) {
            events.add((Event) EventJsonParser.parse(line));
        }
        return events;
    }

    static String resource(String name) {
        try (InputStream in = RecordedEvents.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints all events, then {@link #LOSS} and {@link #SUMMARY}, and returns the text written. */
    static String printAll(EventPrinter printer, ByteArrayOutputStream out) throws IOException {
        try (printer) {
            for (Event event : events()) {
                printer.print(event);
            }
            printer.print(LOSS);
            printer.print(SUMMARY);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
