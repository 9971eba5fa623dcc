package io.skbtrail.server.events;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * What ingest did since the server started (or the last reset): batches, events, resends dropped, and how
 * long events took from the kernel to the database — the event's own time against the server's clock at
 * commit, so it includes the agent's batching and the clock offset between the hosts (shown per host).
 */
@Component
public class IngestStats {
    /** Latency buckets: bucket i holds latencies in [2^(i-1), 2^i) ms; bucket 0 is under 1 ms. */
    private static final int BUCKETS = 24;

    private final LongAdder batches = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    /** Only events that happened from then on have a latency here. */
    private volatile Instant since = Instant.now();

    /** A snapshot; latencies are upper bounds of their power-of-two bucket. */
    public record Snapshot(Instant since, long batches, long events, long duplicateBatches, Long latencyP50Ms,
            Long latencyP90Ms, Long latencyP99Ms, Long latencyMaxMs) {}

    /**
     * A batch committed: its events' times (nanoseconds since the epoch) against the commit's. Events that
     * happened before the last reset are counted but given no latency: they belong to the period before it.
     */
    void stored(long[] timesNs, int count, long committedEpochMs) {
        batches.increment();
        events.add(count);
        // Counted here first: one shared update per bucket and batch, not per event.
        long[] buckets = new long[BUCKETS];
        Instant reset = since;
        long from = reset.getEpochSecond() * 1_000_000_000L + reset.getNano();
        for (int i = 0; i < count; i++) {
            if (timesNs[i] < from) {
                continue;
            }
            long ms = Math.max(0, committedEpochMs - Math.floorDiv(timesNs[i], 1_000_000L));
            buckets[ms == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(ms))]++;
        }
        for (int b = 0; b < BUCKETS; b++) {
            if (buckets[b] > 0) {
                latency.addAndGet(b, buckets[b]);
            }
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = latency.get(i);
            total += counts[i];
        }
        return new Snapshot(since, batches.sum(), events.sum(), duplicates.sum(), quantile(counts, total, 0.5),
                quantile(counts, total, 0.9), quantile(counts, total, 0.99), quantile(counts, total, 1.0));
    }

    private static Long quantile(long[] counts, long total, double q) {
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i == 0 ? 1L : 1L << i;
            }
        }
        return 1L << (counts.length - 1);
    }

    public void reset() {
        batches.reset();
        events.reset();
        duplicates.reset();
        for (int i = 0; i < BUCKETS; i++) {
            latency.set(i, 0);
        }
        since = Instant.now();
    }
}
