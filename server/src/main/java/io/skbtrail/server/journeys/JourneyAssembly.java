package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a group of joined segments into a {@link Journey}: the lanes in the order the packet passed them, their
 * clocks aligned ({@link ClockAlignment}), the wire hops and the outcome.
 *
 * <p><b>Order.</b> Hosts, each with its lanes together in time order: a host where the packet never arrived from a
 * device comes first (it was made there), a host where it arrived and left again next (forwarded), a host where it
 * arrived and did not leave last; hosts of one kind follow their first sighting on the common clock. Clock offsets
 * alone could not order hosts whose offsets are less certain than the packet's time on the wire.
 *
 * <p><b>Outcome.</b> {@code dropped} when a drop with a reason is the end (no other host saw the packet after it
 * and it did not reach a socket after it), or a plain {@code kfree_skb} ({@code NOT_SPECIFIED}) ends the last
 * lane of a packet that never reached a socket; {@code delivered} when it reached a socket or the kernel's own
 * protocol handler; {@code forwarded} when its last host handed it to a device (out of the traced hosts);
 * else {@code unknown}.
 */
final class JourneyAssembly {
    private final List<HostClock> hosts;
    private final List<String> hostNames;
    private final List<Segment> segs;

    JourneyAssembly(List<HostClock> hosts, List<Segment> segs) {
        this.hosts = hosts;
        this.segs = segs;
        this.hostNames = hosts.stream().map(HostClock::name).toList();
    }

    /** The journey of the segments {@code members[from, to)}. */
    Journey assemble(int[] members, int from, int to) {
        Journey j = new Journey();
        int n = to - from;
        Segment[] lanes = new Segment[n];
        for (int i = 0; i < n; i++) {
            lanes[i] = segs.get(members[from + i]);
        }
        order(lanes);
        j.lanes = lanes;
        j.firstHostId = hosts.get(lanes[0].host).hostId();
        j.id = JourneyIds.of(j.firstHostId, lanes[0].packetId, lanes[0].generation);
        clocks(j);
        outcome(j);
        j.firstNs = Long.MAX_VALUE;
        j.lastNs = Long.MIN_VALUE;
        int runs = 0;
        for (int i = 0; i < n; i++) {
            j.firstNs = Math.min(j.firstNs, j.aligned(i, lanes[i].firstNs));
            j.lastNs = Math.max(j.lastNs, j.aligned(i, lanes[i].lastNs));
            if (i == 0 || lanes[i].host != lanes[i - 1].host) {
                runs++;
            }
        }
        j.hostOrder = new int[runs];
        for (int i = 0, r = 0; i < n; i++) {
            if (i == 0 || lanes[i].host != lanes[i - 1].host) {
                j.hostOrder[r++] = lanes[i].host;
            }
        }
        return j;
    }

    /** 0: made on this host; 1: arrived and left; 2: arrived and stayed. */
    private static int rank(int roles) {
        boolean rx = (roles & ProbeRoles.RX) != 0;
        boolean tx = (roles & (ProbeRoles.TX | ProbeRoles.TX_DONE)) != 0;
        return !rx ? 0 : tx ? 1 : 2;
    }

    /**
     * Insertion sort (journeys have a few lanes) by the host's rank and first sighting on the common clock, then
     * host, then the lane's own time.
     */
    private void order(Segment[] lanes) {
        int[] hostRoles = new int[lanes.length];
        long[] hostFirst = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            int roles = 0;
            long first = Long.MAX_VALUE;
            for (Segment s : lanes) {
                if (s.host == lanes[i].host) {
                    roles |= s.roles;
                    first = Math.min(first, s.firstNs - hosts.get(s.host).offsetNs());
                }
            }
            hostRoles[i] = rank(roles);
            hostFirst[i] = first;
        }
        Integer[] order = new Integer[lanes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> compare(lanes[a], hostRoles[a], hostFirst[a], lanes[b], hostRoles[b],
                hostFirst[b]));
        Segment[] sorted = new Segment[lanes.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = lanes[order[i]];
        }
        System.arraycopy(sorted, 0, lanes, 0, lanes.length);
    }

    private static int compare(Segment x, int xRank, long xHostFirst, Segment y, int yRank, long yHostFirst) {
        int c = Integer.compare(xRank, yRank);
        if (c == 0) {
            c = Long.compare(xHostFirst, yHostFirst);
        }
        if (c == 0) {
            c = Integer.compare(x.host, y.host);
        }
        if (c == 0) {
            c = Long.compare(x.firstNs, y.firstNs);
        }
        if (c == 0) {
            c = Long.compare(x.packetId, y.packetId);
        }
        return c != 0 ? c : Integer.compare(x.generation, y.generation);
    }

    private void clocks(Journey j) {
        Segment[] lanes = j.lanes;
        if (lanes.length == 1) {
            HostClock c = hosts.get(lanes[0].host);
            j.laneOffsetNs = new long[] {c.offsetNs()};
            j.laneUncertaintyNs = new long[] {c.uncertaintyNs() == null ? -1 : c.uncertaintyNs()};
            return;
        }
        List<ClockAlignment.Hop> hops = new ArrayList<>(lanes.length);
        int[] fromOf = new int[lanes.length];
        fromOf[0] = -1;
        for (int to = 1; to < lanes.length; to++) {
            // The packet came from the previous host: its lane that last handed it to a device, else its last lane.
            int from = to - 1;
            while (from >= 0 && lanes[from].host == lanes[to].host) {
                from--;
            }
            for (int k = from - 1; from >= 0 && k >= 0 && lanes[k].host == lanes[from].host; k--) {
                if (lanes[k].lastTxNs > lanes[from].lastTxNs) {
                    from = k;
                }
            }
            fromOf[to] = from;
            if (from >= 0 && lanes[from].lastTxNs != Long.MIN_VALUE) {
                hops.add(new ClockAlignment.Hop(from, to, lanes[from].host, lanes[to].host,
                        lanes[to].firstNs - lanes[from].lastTxNs));
            }
        }
        ClockAlignment clock = new ClockAlignment(hosts, usedHosts(lanes), hops, hostNames);
        j.clockContradiction = clock.contradiction;
        j.laneOffsetNs = new long[lanes.length];
        j.laneUncertaintyNs = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            int h = lanes[i].host;
            j.laneOffsetNs[i] = clock.offset(h);
            long u = clock.uncertainty(h);
            j.laneUncertaintyNs[i] = hosts.get(h).uncertaintyNs() == null && u >= HostClock.UNKNOWN_UNCERTAINTY_NS
                    ? -1 : u;
        }
        for (int to = 1; to < lanes.length; to++) {
            int from = fromOf[to];
            // A wire hop into each host's first lane, and into later lanes of that host that arrived by themselves
            // (the wire segments of a super-packet), not into a copy of the packet made on that host.
            boolean arrived = lanes[to - 1].host != lanes[to].host || lanes[to].firstRxNs == lanes[to].firstNs;
            if (from < 0 || !arrived) {
                continue;
            }
            Segment a = lanes[from];
            Segment b = lanes[to];
            boolean causal = a.lastTxNs != Long.MIN_VALUE;
            long leftNs = causal ? a.lastTxNs : a.lastNs;
            long[] w = clock.wire(a.host, b.host, b.firstNs - leftNs, causal);
            boolean bounded = hosts.get(a.host).uncertaintyNs() != null && hosts.get(b.host).uncertaintyNs() != null;
            j.wires.add(new Journey.Wire(from, to, w[0], w[1], w[2], bounded));
        }
    }

    private static int[] usedHosts(Segment[] lanes) {
        int[] used = new int[lanes.length];
        int n = 0;
        for (Segment s : lanes) {
            boolean seen = false;
            for (int i = 0; i < n; i++) {
                if (used[i] == s.host) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                used[n++] = s.host;
            }
        }
        return java.util.Arrays.copyOf(used, n);
    }

    private void outcome(Journey j) {
        Segment[] lanes = j.lanes;
        long delivered = Long.MIN_VALUE;
        int dropLane = -1;
        long dropAt = Long.MIN_VALUE;
        int unspecifiedLane = -1;
        for (int i = 0; i < lanes.length; i++) {
            Segment s = lanes[i];
            if (s.lastDeliverNs != Long.MIN_VALUE) {
                delivered = Math.max(delivered, j.aligned(i, s.lastDeliverNs));
            }
            if (s.hasSpecifiedDrop() && j.aligned(i, s.dropNs) >= dropAt) {
                dropLane = i;
                dropAt = j.aligned(i, s.dropNs);
            } else if (s.dropReason != null && !s.hasSpecifiedDrop()) {
                unspecifiedLane = i;
            }
        }
        if (dropLane >= 0 && delivered < dropAt && !seenElsewhereAfter(j, dropLane, dropAt)) {
            j.state = Journey.State.DROPPED;
            j.dropLane = dropLane;
        } else if (delivered != Long.MIN_VALUE) {
            j.state = Journey.State.DELIVERED;
        } else if (dropLane < 0 && unspecifiedLane < 0 && stayedOnTracepointHost(lanes[lanes.length - 1])) {
            j.state = Journey.State.DELIVERED;
            j.deliveredToStack = true;
        } else if (unspecifiedLane >= 0 && unspecifiedLane == lanes.length - 1) {
            j.state = Journey.State.DROPPED;
            j.dropLane = unspecifiedLane;
        } else if ((lanes[lanes.length - 1].roles & (ProbeRoles.TX | ProbeRoles.TX_DONE)) != 0) {
            j.state = Journey.State.FORWARDED;
        } else {
            j.state = Journey.State.UNKNOWN;
        }
    }

    /**
     * The tracepoints see no socket for most packets (a UDP datagram is copied with its checksum and freed
     * statelessly, a pure TCP ACK is freed without a tracepoint), so on that backend a packet that arrived on its
     * last host, did not leave it and was not dropped there reached that host's stack: delivered, and the journey
     * says on what evidence. The kprobe backends see the socket functions, so there it needs them.
     */
    private boolean stayedOnTracepointHost(Segment last) {
        String backend = hosts.get(last.host).backend();
        return (backend == null || backend.equals("tracepoint")) && (last.roles & ProbeRoles.RX) != 0
                && (last.roles & (ProbeRoles.TX | ProbeRoles.TX_DONE)) == 0;
    }

    /** Whether a lane of another host began after the drop: the packet (a copy of it) went on. */
    private static boolean seenElsewhereAfter(Journey j, int dropLane, long dropAt) {
        for (int i = dropLane + 1; i < j.lanes.length; i++) {
            if (j.lanes[i].host != j.lanes[dropLane].host && j.aligned(i, j.lanes[i].firstNs) > dropAt) {
                return true;
            }
        }
        return false;
    }
}
