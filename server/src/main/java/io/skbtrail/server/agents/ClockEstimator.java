package io.skbtrail.server.agents;

/**
 * Estimates an agent's clock offset from ping/pong exchanges (NTP's idea, one way): the agent stamps its
 * wall clock when the ping arrives; the true offset lies within half the round trip of
 * {@code agentTime - midpoint(sent, received)}. The exchange with the smallest round trip among the
 * recent ones gives the tightest bound.
 */
final class ClockEstimator {
    private static final int WINDOW = 16;

    private final long[] offsets = new long[WINDOW];
    private final long[] roundTrips = new long[WINDOW];
    private int samples;

    /**
     * @param sentEpochNs server wall clock when the ping was sent
     * @param roundTripNs measured with the monotonic clock
     * @param agentEpochNs the agent's wall clock in the pong
     */
    synchronized void add(long sentEpochNs, long roundTripNs, long agentEpochNs) {
        int slot = samples++ % WINDOW;
        offsets[slot] = agentEpochNs - (sentEpochNs + roundTripNs / 2);
        roundTrips[slot] = roundTripNs;
    }

    /** {offset ns, uncertainty ns} of the best recent exchange, or null before the first. */
    synchronized long[] estimate() {
        if (samples == 0) {
            return null;
        }
        int best = 0;
        for (int i = 1; i < Math.min(samples, WINDOW); i++) {
            if (roundTrips[i] < roundTrips[best]) {
                best = i;
            }
        }
        return new long[] {offsets[best], roundTrips[best] / 2};
    }
}
