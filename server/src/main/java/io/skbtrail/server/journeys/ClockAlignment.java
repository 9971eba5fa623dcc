package io.skbtrail.server.journeys;

import java.util.ArrayList;
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
    /** offsetB - offsetA <= maxNs: the packet left host index a (lane fromLane) before it reached b (lane toLane). */
    record Hop(int fromLane, int toLane, int a, int b, long maxNs) {}

    /** Per host of the session: the tightened interval [lo, hi] of its offset. */
    final long[] lo;
    final long[] hi;
    final List<String> notes = new ArrayList<>();

    ClockAlignment(List<HostClock> hosts, int[] used, List<Hop> hops, List<String> hostNames) {
        lo = new long[hosts.size()];
        hi = new long[hosts.size()];
        for (int h : used) {
            HostClock c = hosts.get(h);
            lo[h] = c.offsetNs() - c.uncertaintyOrUnknown();
            hi[h] = c.offsetNs() + c.uncertaintyOrUnknown();
        }
        long[] lo0 = lo.clone();
        long[] hi0 = hi.clone();
        boolean changed = true;
        for (int round = 0; changed && round <= used.length + 1; round++) {
            changed = false;
            for (Hop hop : hops) {
                long newHi = hi[hop.a()] + hop.maxNs();
                if (newHi < hi[hop.b()]) {
                    hi[hop.b()] = newHi;
                    changed = true;
                }
                long newLo = lo[hop.b()] - hop.maxNs();
                if (newLo > lo[hop.a()]) {
                    lo[hop.a()] = newLo;
                    changed = true;
                }
            }
        }
        for (int h : used) {
            if (lo[h] > hi[h]) {
                for (Hop hop : hops) {
                    long excess = (lo0[hop.b()] - hi0[hop.a()]) - hop.maxNs();
                    if (excess > 0) {
                        notes.add("clock estimates of " + hostNames.get(hop.a()) + " and " + hostNames.get(hop.b())
                                + " contradict causality by " + excess + " ns on this hop (the packet would arrive"
                                + " before it left): their estimates are kept as measured");
                    }
                }
                if (notes.isEmpty()) {
                    notes.add("clock estimates contradict causality along this journey: kept as measured");
                }
                System.arraycopy(lo0, 0, lo, 0, lo.length);
                System.arraycopy(hi0, 0, hi, 0, hi.length);
                return;
            }
        }
    }

    long offset(int host) {
        return lo[host] + (hi[host] - lo[host]) / 2;
    }

    long uncertainty(int host) {
        return (hi[host] - lo[host]) / 2;
    }

    /**
     * The time on the wire of a hop whose raw difference (arrival on b's clock minus departure on a's clock) is
     * {@code rawNs}: estimate, lower and upper bound.
     */
    long[] wire(int a, int b, long rawNs, boolean causal) {
        long est = rawNs - (offset(b) - offset(a));
        long max = rawNs - (lo[b] - hi[a]);
        long min = rawNs - (hi[b] - lo[a]);
        if (causal) {
            min = Math.max(0, min);
            est = Math.max(est, min);
        }
        return new long[] {est, min, max};
    }
}
