package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.output.JsonPrinter;
import io.skbtrail.agent.output.OutputOptions;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BatchSinkTest {
    private long now;
    private final Outbox outbox = new Outbox(1000);

    private BatchSink sink(int maxRecords, Outbox box) {
        return new BatchSink(7, box, maxRecords, 100, () -> now);
    }

    private static JsonPrinter printer(BatchSink sink) {
        return new JsonPrinter(OutputOptions.defaults().withJson(true), sink);
    }

    private static List<EventBatch> parse(Outbox box) {
        return box.unacked().stream().map(b -> EventBatch.parse(b.text(), 1 << 20)).toList();
    }

    private static final SummaryRecord SUMMARY = new SummaryRecord(Instant.parse("2026-11-25T10:00:00Z"), "fake",
            3, 10, 10, 10, Map.of("kernel_ringbuf", 0L), 5);

    @Test
    void aBatchIsSealedWhenFull() throws IOException {
        BatchSink sink = sink(3, outbox);
        JsonPrinter p = printer(sink);
        for (int i = 1; i <= 7; i++) {
            p.print(FakeArmer.event(i));
        }
        List<EventBatch> batches = parse(outbox);
        assertEquals(2, batches.size(), "7 events: two full batches, one event still open");
        assertEquals(3, batches.get(0).records().size());
        assertEquals(7, batches.get(0).session());
        assertNull(batches.get(0).end());
        assertEquals(7, sink.sent(), "events in the open batch count as sent too");
    }

    @Test
    void aBatchIsSealedOnFlushOnceItsFirstRecordIsOldEnough() throws IOException {
        BatchSink sink = sink(4096, outbox);
        JsonPrinter p = printer(sink);
        p.print(FakeArmer.event(1));
        now += 99_000_000L;
        p.flush();
        assertTrue(outbox.isEmpty(), "99 ms: still open");
        p.print(FakeArmer.event(2));
        now += 1_000_000L;
        p.flush();
        assertEquals(2, parse(outbox).get(0).records().size(), "100 ms after the first record: sealed");
        now += 500_000_000L;
        p.flush();
        assertEquals(1, outbox.unacked().size(), "no empty batches");
    }

    @Test
    void theLastBatchEndsWithTheSummaryAndTheEnd() throws IOException {
        BatchSink sink = sink(2, outbox);
        JsonPrinter p = printer(sink);
        p.print(FakeArmer.event(1));
        p.print(FakeArmer.event(2)); // sealed: full
        sink.finish("limit", SUMMARY);
        List<EventBatch> batches = parse(outbox);
        assertEquals(2, batches.size());
        EventBatch last = batches.get(1);
        assertEquals("limit", last.end());
        assertEquals(List.of(SUMMARY), last.records());
    }

    @Test
    void aSessionWithoutEventsStillSendsItsEnd() {
        BatchSink sink = sink(10, outbox);
        sink.finish("stopped", SUMMARY);
        EventBatch only = parse(outbox).get(0);
        assertEquals("stopped", only.end());
        assertEquals(List.of(SUMMARY), only.records());
    }

    @Test
    void eventsTheOutboxHasNoRoomForAreCountedAndTheLossIsReportedOnceThereIsRoom() throws IOException {
        Outbox small = new Outbox(3);
        BatchSink sink = sink(2, small);
        JsonPrinter p = printer(sink);
        for (int i = 1; i <= 5; i++) {
            p.print(FakeArmer.event(i)); // 1-2 sealed, 3 open, 4 and 5 find no room
        }
        assertEquals(2, sink.lost());
        assertEquals(2, small.lost());
        assertEquals(3, sink.sent());
        small.ack(1); // the server is back: room for two more
        p.print(FakeArmer.event(6));
        sink.finish("stopped", SUMMARY);

        List<WireRecord> records = parse(small).stream().flatMap(b -> b.records().stream()).toList();
        assertEquals(List.of(3L), records.subList(0, 1).stream().map(r -> ((Event) r).seq()).toList());
        LossRecord loss = assertInstanceOf(LossRecord.class, records.get(1), "the loss comes before the next event");
        assertEquals(BatchSink.HOP, loss.hop());
        assertEquals(2, loss.count());
        assertEquals(2, loss.total());
        assertEquals(6, ((Event) records.get(2)).seq());
        assertEquals(SUMMARY, records.get(records.size() - 1));
    }

    @Test
    void lossStillUnreportedAtTheEndGoesBeforeTheSummary() throws IOException {
        Outbox full = new Outbox(1);
        BatchSink sink = sink(100, full);
        JsonPrinter p = printer(sink);
        p.print(FakeArmer.event(1));
        p.print(FakeArmer.event(2)); // no room
        sink.finish("stopped", SUMMARY);
        List<WireRecord> records = parse(full).get(0).records();
        assertEquals(3, records.size());
        assertEquals(1, assertInstanceOf(LossRecord.class, records.get(1)).count());
        assertEquals(SUMMARY, records.get(2));
    }

    @Test
    void lossAndSummaryLinesFromThePrinterAreNeverDropped() throws IOException {
        Outbox full = new Outbox(1);
        BatchSink sink = sink(100, full);
        JsonPrinter p = printer(sink);
        p.print(FakeArmer.event(1));
        p.print(new LossRecord(Instant.parse("2026-11-25T10:00:00Z"), "kernel_ringbuf", 4, 4));
        sink.finish("stopped", null);
        List<WireRecord> records = parse(full).get(0).records();
        assertEquals(2, records.size());
        assertEquals("kernel_ringbuf", ((LossRecord) records.get(1)).hop());
    }

    private static byte[] encoded(int fromSeq, int events) {
        StringBuilder lines = new StringBuilder();
        for (int i = fromSeq; i < fromSeq + events; i++) {
            new io.skbtrail.protocol.EventJson().appendTo(lines, FakeArmer.event(i)).append('\n');
        }
        return lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void preEncodedEventsAreABatchOfTheirOwnAfterTheOpenOne() throws IOException {
        BatchSink sink = sink(3, outbox);
        JsonPrinter p = printer(sink);
        p.print(FakeArmer.event(1));
        sink.writeEncodedEvents(encoded(2, 3), 3);
        List<EventBatch> batches = parse(outbox);
        assertEquals(2, batches.size());
        assertEquals(List.of(1L), batches.get(0).records().stream().map(r -> ((Event) r).seq()).toList());
        assertEquals(List.of(2L, 3L, 4L), batches.get(1).records().stream().map(r -> ((Event) r).seq()).toList());
        assertEquals(List.of(1L, 2L), outbox.unacked().stream().map(SealedBatch::seq).toList());
        assertEquals(4, sink.sent());
        assertEquals(4, outbox.buffered());
    }

    @Test
    void preEncodedEventsWithoutRoomAreAllLostAndReportedBeforeTheNextOnes() {
        Outbox small = new Outbox(4);
        BatchSink sink = sink(3, small);
        sink.writeEncodedEvents(encoded(1, 3), 3);
        sink.writeEncodedEvents(encoded(4, 3), 3); // one slot left: all three lost
        assertEquals(3, sink.lost());
        assertEquals(3, small.lost());
        small.ack(1);
        sink.writeEncodedEvents(encoded(7, 2), 2);
        List<EventBatch> batches = parse(small);
        LossRecord loss = assertInstanceOf(LossRecord.class, batches.get(0).records().get(0));
        assertEquals(3, loss.count());
        assertEquals(List.of(7L, 8L), batches.get(1).records().stream().map(r -> ((Event) r).seq()).toList());
        assertEquals(5, sink.sent());
    }
}
