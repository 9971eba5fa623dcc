package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a group of joined segments into a {@link Journey}: the lanes in the order the packet passed them, their
 * clocks aligned ({@link ClockAlignment}), the wire hops, the outcome, and what the match rests on.
 *
 * <p><b>Order.</b> A lane where the packet never arrived from a device comes first (it was made there), a lane
 * where it arrived and left again next (forwarded), a lane where it arrived and did not leave last; lanes of
 * one kind follow their times on the common clock. Clock offsets alone could not order hosts whose offsets are
 * less certain than the packet's time on the wire.
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
    private final Map<Integer, List<JourneyJoin.Link>> linksBySegment = new HashMap<>();
    private final Map<Integer, List<JourneyJoin.Ambiguity>> ambiguitiesBySegment = new HashMap<>();

    JourneyAssembly(List<HostClock> hosts, List<Segment> segs, JourneyJoin join) {
        this.hosts = hosts;
        this.segs = segs;
        this.hostNames = hosts.stream().map(HostClock::name).toList();
        for (JourneyJoin.Link l : join.links) {
            linksBySegment.computeIfAbsent(l.a(), k -> new ArrayList<>()).add(l);
        }
        for (JourneyJoin.Ambiguity a : join.ambiguities) {
            ambiguitiesBySegment.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(a);
        }
    }

    Journey assemble(int[] group) {
        Journey j = new Journey();
        Segment[] lanes = new Segment[group.length];
        for (int i = 0; i < group.length; i++) {
            lanes[i] = segs.get(group[i]);
        }
        Arrays.sort(lanes, Comparator.comparingInt(JourneyAssembly::rank)
                .thenComparingLong(s -> s.firstNs - hosts.get(s.host).offsetNs())
                .thenComparingInt(s -> s.host).thenComparingLong(s -> s.packetId));
        j.lanes = lanes;
        j.firstHostId = hosts.get(lanes[0].host).hostId();
        j.id = JourneyIds.of(j.firstHostId, lanes[0].packetId);
        clocks(j);
        outcome(j);
        for (Segment s : lanes) {
            if (s.saddr != null) {
                j.flow = s;
                break;
            }
        }
        j.firstNs = Long.MAX_VALUE;
        j.lastNs = Long.MIN_VALUE;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lanes.length; i++) {
            j.firstNs = Math.min(j.firstNs, j.aligned(i, lanes[i].firstNs));
            j.lastNs = Math.max(j.lastNs, j.aligned(i, lanes[i].lastNs));
            if (order.isEmpty() || order.get(order.size() - 1) != lanes[i].host) {
                order.add(lanes[i].host);
            }
        }
        j.hostOrder = order.stream().mapToInt(Integer::intValue).toArray();
        match(j);
        return j;
    }

    /** 0: made on this host; 1: arrived and left; 2: arrived and stayed. */
    private static int rank(Segment s) {
        boolean rx = (s.roles & ProbeRoles.RX) != 0;
        boolean tx = (s.roles & (ProbeRoles.TX | ProbeRoles.TX_DONE)) != 0;
        return !rx ? 0 : tx ? 1 : 2;
    }

    private void clocks(Journey j) {
        Segment[] lanes = j.lanes;
        List<ClockAlignment.Hop> hops = new ArrayList<>();
        int[] fromOf = new int[lanes.length];
        Arrays.fill(fromOf, -1);
        for (int to = 1; to < lanes.length; to++) {
            int from = to - 1;
            while (from >= 0 && lanes[from].host == lanes[to].host) {
                from--;
            }
            if (from < 0) {
                continue;
            }
            fromOf[to] = from;
            Segment a = lanes[from];
            if (a.lastTxNs != Long.MIN_VALUE) {
                hops.add(new ClockAlignment.Hop(from, to, a.host, lanes[to].host, lanes[to].firstNs - a.lastTxNs));
            }
        }
        int[] used = Arrays.stream(lanes).mapToInt(s -> s.host).distinct().toArray();
        ClockAlignment clock = new ClockAlignment(hosts, used, hops, hostNames);
        j.notes.addAll(clock.notes);
        j.laneOffsetNs = new long[lanes.length];
        j.laneUncertaintyNs = new Long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            int h = lanes[i].host;
            j.laneOffsetNs[i] = clock.offset(h);
            j.laneUncertaintyNs[i] = hosts.get(h).uncertaintyNs() == null
                    && clock.uncertainty(h) >= HostClock.UNKNOWN_UNCERTAINTY_NS ? null : clock.uncertainty(h);
        }
        for (int h : used) {
            HostClock prior = hosts.get(h);
            if (prior.uncertaintyNs() == null) {
                j.notes.add("no clock estimate for " + prior.name() + ": its times are taken as they are"
                        + (hasHop(hops, h) ? ", bounded by causality" : ""));
            } else if (clock.uncertainty(h) < prior.uncertaintyNs()) {
                j.notes.add("clock of " + prior.name() + " narrowed by causality from ±" + prior.uncertaintyNs()
                        + " ns to ±" + clock.uncertainty(h) + " ns");
            }
        }
        for (int to = 0; to < lanes.length; to++) {
            int from = fromOf[to];
            if (from < 0) {
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

    private static boolean hasHop(List<ClockAlignment.Hop> hops, int host) {
        for (ClockAlignment.Hop h : hops) {
            if (h.a() == host || h.b() == host) {
                return true;
            }
        }
        return false;
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
        } else if (unspecifiedLane == lanes.length - 1) {
            j.state = Journey.State.DROPPED;
            j.dropLane = unspecifiedLane;
            j.notes.add("freed by a plain kfree_skb (NOT_SPECIFIED) without reaching a socket: counted as dropped,"
                    + " though the kernel did not say it was a drop");
        } else if ((lanes[lanes.length - 1].roles & (ProbeRoles.TX | ProbeRoles.TX_DONE)) != 0) {
            j.state = Journey.State.FORWARDED;
        } else {
            j.state = Journey.State.UNKNOWN;
        }
    }

    /** Whether a lane of another host began after the drop: the packet (a copy of it) went on. */
    private static boolean seenElsewhereAfter(Journey j, int dropLane, long dropAt) {
        for (int i = 0; i < j.lanes.length; i++) {
            if (j.lanes[i].host != j.lanes[dropLane].host && i > dropLane && j.aligned(i, j.lanes[i].firstNs) > dropAt) {
                return true;
            }
        }
        return false;
    }

    private void match(Journey j) {
        Set<String> by = new LinkedHashSet<>();
        Set<Integer> members = new java.util.HashSet<>();
        for (Segment s : j.lanes) {
            members.add(s.index);
        }
        boolean keyed = false;
        for (Segment s : j.lanes) {
            for (JourneyJoin.Link l : linksBySegment.getOrDefault(s.index, List.of())) {
                Segment a = segs.get(l.a());
                Segment b = segs.get(l.b());
                switch (l.kind()) {
                    case EXACT -> keyed = true;
                    case CONNTRACK -> {
                        keyed = true;
                        by.add("ct_tuple");
                        Segment nat = a.natSeen ? a : b;
                        j.notes.add(name(a) + " and " + name(b) + " joined through conntrack's tuple: "
                                + hostNames.get(nat.host) + " translated the packet (NAT)");
                    }
                    case GSO -> {
                        by.add("tcp_seq_range");
                        j.notes.add(name(a) + " is a wire segment [seq " + a.tcpSeq + ", +" + a.payloadLen + " bytes)"
                                + " of the GSO/GRO super-packet " + name(b) + " [seq " + b.tcpSeq + ", +" + b.payloadLen
                                + " bytes)");
                    }
                }
            }
        }
        if (keyed) {
            LinkedHashSet<String> fields = new LinkedHashSet<>();
            fields.add("tuple");
            for (Segment s : j.lanes) {
                if (s.ipId != null && s.ipId != 0) {
                    fields.add("ip_id");
                }
                if (s.tcpSeq >= 0) {
                    fields.add("tcp_seq");
                    fields.add("tcp_ack");
                }
                if (JoinKeys.isIcmp(s.proto)) {
                    fields.add("icmp_id");
                    fields.add("icmp_seq");
                }
            }
            if (payloadCompared(j.lanes)) {
                fields.add("payload_hash");
            }
            fields.addAll(by);
            by = fields;
        }
        for (Segment s : j.lanes) {
            if (s.vni != null) {
                by.add("vxlan_inner");
                j.notes.add("matched on the inner packet of VXLAN (VNI " + s.vni + ") where " + hostNames.get(s.host)
                        + " saw it encapsulated");
                break;
            }
        }
        j.matchBy.addAll(by);
        if (j.lanes.length == 1 && j.lanes[0].joinKeys.length == 0) {
            j.notes.add("no fingerprint (not an IP packet, or its headers were not in the captured bytes): it can"
                    + " only be shown on the host that saw it");
        }
        for (Segment s : j.lanes) {
            for (JourneyJoin.Ambiguity a : ambiguitiesBySegment.getOrDefault(s.index, List.of())) {
                j.ambiguous = true;
                j.notes.add("ambiguous: " + name(s) + " matches " + a.candidates().length + " packets on "
                        + hostNames.get(a.otherHost()) + " that cannot be told apart (" + a.why()
                        + "), so none was joined; candidates: " + candidates(a.candidates()));
                for (int c : a.candidates()) {
                    j.candidates.add(c);
                }
            }
        }
    }

    private boolean payloadCompared(Segment[] lanes) {
        for (int i = 0; i < lanes.length; i++) {
            for (int k = i + 1; k < lanes.length; k++) {
                if (lanes[i].payloadHashed > 0 && lanes[i].payloadHashed == lanes[k].payloadHashed) {
                    return true;
                }
            }
        }
        return false;
    }

    private String candidates(int[] segments) {
        List<String> names = new ArrayList<>();
        for (int s : segments) {
            names.add("packet " + segs.get(s).packetId);
        }
        return String.join(", ", names);
    }

    private String name(Segment s) {
        return hostNames.get(s.host) + " packet " + s.packetId;
    }
}
