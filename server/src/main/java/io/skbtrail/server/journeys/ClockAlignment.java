package io.skbtrail.server.journeys;

import java.util.List;

/**
 * Puts one journey's lanes on the common clock (the server's). Each host's offset is known within an interval
 * (the agent link's estimate ± its uncertainty). Causality narrows it: a packet handed to a device on host A at
 * a (A's clock) and first seen on host B at b (B's clock) arrived after it left, so in real time
 * {@code b - offsetB >= a - offsetA}, that is {@code offsetB - offsetA <= b - a}. These difference constraints
 * are propagated over the journey's hosts until nothing changes (Bellman-Ford on a handful of hosts); each
 * host's offset is then the middle of what is left, and its uncertainty half the width. The middles satisfy
 * every constraint, so no packet arrives before it left. Estimates that contradict causality are kept as they
 * were and the journey says so.
 */
final class ClockAlignment {
    /** offsetB - offsetA <= maxNs: the packet left host a (lane fromLane) before it reached host b (lane toLane). */
    record Hop(int fromLane, int toLane, int a, int b, long maxNs) {}

    /** The hosts of the journey (indices into the session's hosts), and per position the interval [lo, hi]. */
    final int[] used;
    final long[] lo;
    final long[] hi;
    /** Set when the estimates contradict causality (then the intervals are the measured ones). */
    String contradiction;

    ClockAlignment(List<HostClock> hosts, int[] used, List<Hop> hops, List<String> hostNames) {
        this.used = used;
        lo = new long[used.length];
        hi = new long[used.length];
        for (int i = 0; i < used.length; i++) {
            HostClock c = hosts.get(used[i]);
            lo[i] = c.offsetNs() - c.uncertaintyOrUnknown();
            hi[i] = c.offsetNs() + c.uncertaintyOrUnknown();
        }
        if (hops.isEmpty()) {
            return;
        }
        long[] lo0 = lo.clone();
        long[] hi0 = hi.clone();
        boolean changed = true;
        for (int round = 0; changed && round <= used.length + 1; round++) {
            changed = false;
            for (Hop hop : hops) {
                int a = at(hop.a());
                int b = at(hop.b());
                long newHi = hi[a] + hop.maxNs();
                if (newHi < hi[b]) {
                    hi[b] = newHi;
                    changed = true;
                }
                long newLo = lo[b] - hop.maxNs();
                if (newLo > lo[a]) {
                    lo[a] = newLo;
                    changed = true;
                }
            }
        }
        for (int i = 0; i < used.length; i++) {
            if (lo[i] > hi[i]) {
                StringBuilder note = new StringBuilder();
                for (Hop hop : hops) {
                    long excess = (lo0[at(hop.b())] - hi0[at(hop.a())]) - hop.maxNs();
                    if (excess > 0) {
                        note.append(note.length() == 0 ? "" : "; ").append("clock estimates of ")
                                .append(hostNames.get(hop.a())).append(" and ").append(hostNames.get(hop.b()))
                                .append(" contradict causality by ").append(excess)
                                .append(" ns on this hop (the packet would arrive before it left)");
                    }
                }
                contradiction = (note.length() == 0 ? "clock estimates contradict causality along this journey"
                        : note.toString()) + ": they are kept as measured";
                System.arraycopy(lo0, 0, lo, 0, lo.length);
                System.arraycopy(hi0, 0, hi, 0, hi.length);
                return;
            }
        }
    }

    private int at(int host) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] == host) {
                return i;
            }
        }
        throw new IllegalArgumentException("host " + host + " is not on this journey");
    }

    long offset(int host) {
        int i = at(host);
        return lo[i] + (hi[i] - lo[i]) / 2;
    }

    long uncertainty(int host) {
        int i = at(host);
        return (hi[i] - lo[i]) / 2;
    }

    /**
     * The time on the wire of a hop whose raw difference (arrival on b's clock minus departure on a's clock) is
     * {@code rawNs}: estimate, lower and upper bound.
     */
    long[] wire(int a, int b, long rawNs, boolean causal) {
        int ia = at(a);
        int ib = at(b);
        long est = rawNs - (offset(b) - offset(a));
        long max = rawNs - (lo[ib] - hi[ia]);
        long min = rawNs - (hi[ib] - lo[ia]);
        if (causal) {
            min = Math.max(0, min);
            est = Math.max(est, min);
        }
        return new long[] {est, min, max};
    }
}
