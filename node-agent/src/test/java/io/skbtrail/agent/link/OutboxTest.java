package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.EventBatch;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class OutboxTest {
    private static final String LOSS = "{\"type\":\"loss\",\"time\":\"2026-11-25T10:00:00.000000000Z\",\"hop\":\"agent_buffer\","
            + "\"count\":1,\"total\":1}\n";

    private static SealedBatch seal(Outbox outbox, long session, int records) {
        outbox.reserve(records);
        return outbox.seal(session, null, LOSS.repeat(records), records);
    }

    @Test
    void batchesAreNumberedFromOneAcrossSessionsInTheOrderSealed() {
        Outbox outbox = new Outbox(100);
        assertEquals(0, outbox.highestSeq());
        assertEquals(1, seal(outbox, 4, 1).seq());
        assertEquals(2, seal(outbox, 7, 2).seq());
        assertEquals(3, seal(outbox, 4, 1).seq());
        assertEquals(3, outbox.highestSeq());
        assertEquals(List.of(1L, 2L, 3L), outbox.unacked().stream().map(SealedBatch::seq).toList());
        assertEquals(Set.of(4L, 7L), outbox.sessionsWithUnacked());
    }

    @Test
    void aSealedBatchIsTheWholeFrameTheServerParses() {
        Outbox outbox = new Outbox(100);
        outbox.reserve(2);
        SealedBatch batch = outbox.seal(9, "stopped", LOSS + LOSS, 2);
        EventBatch parsed = EventBatch.parse(batch.text(), 1 << 20);
        assertEquals(1, parsed.seq());
        assertEquals(9, parsed.session());
        assertEquals("stopped", parsed.end());
        assertEquals(2, parsed.records().size());
    }

    @Test
    void anAckIsCumulativeAndFreesTheRoomOfWhatItCovers() {
        Outbox outbox = new Outbox(100);
        seal(outbox, 1, 5);
        seal(outbox, 1, 10);
        seal(outbox, 2, 20);
        assertEquals(35, outbox.buffered());
        assertEquals(2, outbox.ack(2));
        assertEquals(20, outbox.buffered());
        assertEquals(List.of(3L), outbox.unacked().stream().map(SealedBatch::seq).toList());
        assertEquals(0, outbox.ack(2), "acknowledging again changes nothing");
        assertEquals(0, outbox.ack(1), "nor does an older ack");
        assertEquals(1, outbox.ack(3));
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.buffered());
        assertEquals(3, outbox.acked());
        assertEquals(4, seal(outbox, 1, 1).seq(), "numbering goes on after acks");
    }

    @Test
    void afterAWelcomeTheSenderResendsWhatFollowsTheAckedSeqInOrder() {
        Outbox outbox = new Outbox(100);
        for (int i = 0; i < 5; i++) {
            seal(outbox, 1, 1);
        }
        // Batches 1-5 were sent on a connection that died; the new welcome says 2 were stored.
        outbox.ack(2);
        long sent = 2;
        StringBuilder order = new StringBuilder();
        for (SealedBatch b = outbox.nextAfter(sent); b != null; b = outbox.nextAfter(sent)) {
            order.append(b.seq());
            sent = b.seq();
        }
        assertEquals("345", order.toString());
        seal(outbox, 2, 1);
        assertEquals(6, outbox.nextAfter(sent).seq(), "then the new ones");
        assertNull(outbox.nextAfter(6));
    }

    @Test
    void eventsAreRefusedWhenFullButLossRecordsAndSummariesAreNot() {
        Outbox outbox = new Outbox(3);
        assertTrue(outbox.tryReserveEvent());
        assertTrue(outbox.tryReserveEvent());
        assertTrue(outbox.tryReserveEvent());
        assertFalse(outbox.tryReserveEvent());
        outbox.reserve(1);
        assertEquals(4, outbox.buffered(), "accounting records go over the bound");
        outbox.seal(1, null, LOSS.repeat(4), 4);
        outbox.ack(1);
        assertTrue(outbox.tryReserveEvent(), "room again once acknowledged");
    }

    @Test
    void sealingWakesTheSender() {
        Outbox outbox = new Outbox(10);
        int[] woken = {0};
        outbox.onSealed(() -> woken[0]++);
        seal(outbox, 1, 1);
        assertEquals(1, woken[0]);
    }
}
