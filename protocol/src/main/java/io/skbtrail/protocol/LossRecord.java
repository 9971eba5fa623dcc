package io.skbtrail.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * Accounting line: events lost at one hop since the previous loss record of that hop.
 *
 * @param hop where they were lost, e.g. {@code kernel_ringbuf} (ring buffer full), {@code rate_limit}
 *     (the agent's event-rate cap), {@code recursion} (the kernel skipped a nested program run),
 *     {@code track_evicted} (a tracked skb forgotten before it was freed), {@code agent_buffer}
 * @param count lost since the previous record for this hop
 * @param total lost at this hop since the agent started
 */
public record LossRecord(Instant time, String hop, long count, long total) implements WireRecord {

    /** Rejects a missing time or hop. */
    public LossRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(hop, "hop");
    }
}
