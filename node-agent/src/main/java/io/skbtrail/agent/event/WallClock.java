package io.skbtrail.agent.event;

import java.time.Instant;

/**
 * Converts kernel time ({@code bpf_ktime_get_ns}, CLOCK_MONOTONIC) to wall-clock time on this host.
 * The offset between the two clocks is sampled (the tightest of several readings, since the JVM's
 * {@link System#nanoTime()} is CLOCK_MONOTONIC on Linux) and re-sampled periodically, because NTP
 * steps and slews the wall clock.
 */
public final class WallClock {
    private static final int SAMPLES = 16;
    private volatile long offsetNs;
    private volatile long uncertaintyNs;

    public WallClock() {
        resample();
    }

    /** Takes a new reading of the offset; call every few seconds. */
    public void resample() {
        long best = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                long wallNs = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
                bestOffset = wallNs - (before + (after - before) / 2);
            }
        }
        offsetNs = bestOffset;
        uncertaintyNs = best / 2;
    }

    public Instant toWall(long ktimeNs) {
        long wall = ktimeNs + offsetNs;
        return Instant.ofEpochSecond(Math.floorDiv(wall, 1_000_000_000L), Math.floorMod(wall, 1_000_000_000L));
    }

    /** Half the width of the window the offset was read in. */
    public long uncertaintyNs() {
        return uncertaintyNs;
    }
}
