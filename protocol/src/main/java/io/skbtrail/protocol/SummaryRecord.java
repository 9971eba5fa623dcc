package io.skbtrail.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Written once when tracing ends: what was emitted, delivered and lost, per hop.
 *
 * <p>The accounting is exact: {@code matched = delivered + sum(lost)} for the kernel hops, where a
 * "matched" event is one that passed the filters in the kernel.
 *
 * @param backend the probe backend that ran ({@code tracepoint}, {@code kprobe}, …)
 * @param probes number of attached probe points
 * @param matched events that passed the in-kernel filters
 * @param delivered events that reached the agent
 * @param printed events written to the output (less than delivered with --output-limit-lines)
 * @param lost events lost, per hop (same hop names as {@link LossRecord}); encoded sorted by hop name
 * @param durationNs time spent tracing
 */
public record SummaryRecord(
        Instant time,
        String backend,
        int probes,
        long matched,
        long delivered,
        long printed,
        Map<String, Long> lost,
        long durationNs) implements WireRecord {

    /** Rejects nulls and keeps an unmodifiable copy of {@code lost} (no null hops or counts). */
    public SummaryRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(backend, "backend");
        lost = Map.copyOf(lost);
    }
}
