package io.skbtrail.server.agents;

/** Events stored per second from one agent, over the last ten one-second buckets. */
public final class EventRate {
    private static final int BUCKETS = 10;
    private final long[] counts = new long[BUCKETS];
    private final long[] seconds = new long[BUCKETS];

    public synchronized void add(long events) {
        long now = System.currentTimeMillis() / 1000;
        int slot = (int) (now % BUCKETS);
        if (seconds[slot] != now) {
            seconds[slot] = now;
            counts[slot] = 0;
        }
        counts[slot] += events;
    }

    /** Average events per second over the last ten seconds. */
    public synchronized double perSecond() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (now - seconds[i] < BUCKETS) {
                sum += counts[i];
            }
        }
        return sum / (double) BUCKETS;
    }
}
