package io.skbtrail.server.agents;

import java.time.Instant;

/** Wall-clock time as nanoseconds since the epoch, the unit events are stored in. */
public final class Clocks {
    private Clocks() {}

    public static long epochNanos() {
        return epochNanos(Instant.now());
    }

    public static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
