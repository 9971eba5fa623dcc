package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.List;

/**
 * One packet's journey: its segments on the hosts that saw it (lanes, in the order the packet passed them),
 * each lane's clock as tightened by causality, the wire hops between hosts, the outcome and how the lanes
 * were matched. What is only shown in the journey's detail (notes, match fields) is derived when it is shown
 * ({@link JourneyNotes}); the flow is read from the events when first needed ({@link FlowLoader}).
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
    /** -1 where the lane's host has no clock estimate and causality did not bound it. */
    long[] laneUncertaintyNs;
    List<Wire> wires = new ArrayList<>(2);
    State state = State.UNKNOWN;
    /** Delivered on the evidence that it arrived on its last host and was neither sent on nor dropped there. */
    boolean deliveredToStack;
    /** The lane whose drop ends the journey, or -1. */
    int dropLane = -1;
    long firstNs;
    long lastNs;
    /** Hosts in the order the packet passed them (a host once per run of its lanes). */
    int[] hostOrder;
    /** Bits of {@link JourneyJoin.Kind} ordinals: how the lanes were linked. */
    int linkKinds;
    /** Links through conntrack or GSO ranges (said in the notes); null when none. */
    List<JourneyJoin.Link> specialLinks;
    /** Why some lane could not be joined to another host; null when none. */
    List<JourneyJoin.Ambiguity> ambiguities;
    /** Set when the clock estimates contradict causality on this journey. */
    String clockContradiction;
    /** The flow, once read; {@link Flow#NONE} when no lane had a tuple. */
    volatile Flow flow;

    long aligned(int lane, long hostNs) {
        return hostNs - laneOffsetNs[lane];
    }

    Segment first() {
        return lanes[0];
    }

    boolean ambiguous() {
        return ambiguities != null;
    }

    void link(JourneyJoin.Link link) {
        linkKinds |= 1 << link.kind().ordinal();
        if (link.kind() != JourneyJoin.Kind.EXACT) {
            if (specialLinks == null) {
                specialLinks = new ArrayList<>(1);
            }
            specialLinks.add(link);
        }
    }

    void ambiguity(JourneyJoin.Ambiguity a) {
        if (ambiguities == null) {
            ambiguities = new ArrayList<>(1);
        }
        ambiguities.add(a);
    }
}
