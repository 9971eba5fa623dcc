package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.List;

/**
 * One packet's journey: its segments on the hosts that saw it (lanes, in the order the packet passed them),
 * each lane's clock as tightened by causality, the wire hops between hosts, the outcome and how the lanes
 * were matched.
 */
final class Journey {
    enum State {
        DELIVERED, FORWARDED, DROPPED, UNKNOWN;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromWireName(String name) {
            for (State s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** A hop between two lanes on different hosts: the packet's time on the wire, on the common clock. */
    record Wire(int fromLane, int toLane, long ns, long minNs, long maxNs, boolean bounded) {}

    String id;
    long firstHostId;
    Segment[] lanes;
    /** Per lane: its host's clock offset and uncertainty for this journey (prior, tightened by causality). */
    long[] laneOffsetNs;
    Long[] laneUncertaintyNs;
    List<Wire> wires = new ArrayList<>();
    State state = State.UNKNOWN;
    /** The lane whose drop ends the journey, or -1. */
    int dropLane = -1;
    boolean ambiguous;
    long firstNs;
    long lastNs;
    /** The flow: the tuple of the first lane that had one (the inner packet's for VXLAN). */
    Segment flow;
    List<String> matchBy = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    /** Segments of other hosts this journey could not be told apart from (when ambiguous). */
    List<Integer> candidates = new ArrayList<>();
    /** Hosts in the order the packet passed them (a host once per run of its lanes). */
    int[] hostOrder;

    long aligned(int lane, long hostNs) {
        return hostNs - laneOffsetNs[lane];
    }

    Segment first() {
        return lanes[0];
    }
}
