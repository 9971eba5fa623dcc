package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a journey's detail says about its match, derived when shown: the fields the lanes were matched by, and
 * notes a reader should know (clocks narrowed or contradicting causality, NAT, GSO, VXLAN, ambiguity, a plain
 * kfree_skb counted as a drop).
 */
final class JourneyNotes {
    final List<String> by;
    final List<String> notes = new ArrayList<>();
    /** Segments of other hosts an ambiguous lane could not be told apart from. */
    final List<Segment> candidates = new ArrayList<>();

    JourneyNotes(JoinedSession joined, Journey j) {
        Set<String> fields = new LinkedHashSet<>();
        boolean keyed = (j.linkKinds & (1 << JourneyJoin.Kind.EXACT.ordinal() | 1 << JourneyJoin.Kind.CONNTRACK.ordinal())) != 0;
        if (keyed) {
            fields.add("tuple");
            for (Segment s : j.lanes) {
                if (s.ipId > 0) {
                    fields.add("ip_id");
                }
                if (s.tcpSeq >= 0) {
                    fields.add("tcp_seq");
                    fields.add("tcp_ack");
                }
            }
            Flow flow = j.flow;
            if (flow != null && JoinKeys.isIcmp(JoinKeys.protoName(flow.proto() == null ? "" : flow.proto()))) {
                fields.add("icmp_id");
                fields.add("icmp_seq");
            }
            if (payloadCompared(j.lanes)) {
                fields.add("payload_hash");
            }
        }
        if ((j.linkKinds & 1 << JourneyJoin.Kind.CONNTRACK.ordinal()) != 0) {
            fields.add("ct_tuple");
        }
        // A NAT host's lane whose other form (conntrack's tuple) is another host's packet confirms the link
        // across the NAT, even where the NAT host's own sightings before and after it also link them.
        for (Segment nat : j.lanes) {
            if (!nat.natSeen || nat.altKeys.length == 0 || j.specialLinks != null) {
                continue;
            }
            for (Segment other : j.lanes) {
                if (other.host != nat.host && sharesKey(nat.altKeys, other.joinKeys)) {
                    fields.add("ct_tuple");
                    notes.add(name(joined, other) + " and " + name(joined, nat) + " are joined through conntrack's"
                            + " tuple too: " + joined.hostName(nat) + " translated the packet (NAT)");
                    break;
                }
            }
        }
        if ((j.linkKinds & 1 << JourneyJoin.Kind.GSO.ordinal()) != 0) {
            fields.add("tcp_seq_range");
        }
        for (Segment s : j.lanes) {
            if (s.encapsulated) {
                fields.add("vxlan_inner");
                Long vni = j.flow == null ? null : j.flow.vni();
                notes.add("matched on the inner packet of VXLAN" + (vni == null ? "" : " (VNI " + vni + ")") + " where "
                        + joined.hostName(s) + " saw it encapsulated");
                break;
            }
        }
        by = List.copyOf(fields);
        if (j.clockContradiction != null) {
            notes.add(j.clockContradiction);
        }
        List<Integer> said = new ArrayList<>();
        for (int i = 0; i < j.lanes.length; i++) {
            int h = j.lanes[i].host;
            if (said.contains(h)) {
                continue;
            }
            said.add(h);
            HostClock prior = joined.hosts.get(h);
            Long now = j.laneUncertaintyNs[i] < 0 ? null : j.laneUncertaintyNs[i];
            if (prior.uncertaintyNs() == null) {
                notes.add("no clock estimate for " + prior.name() + ": its times are taken as they are"
                        + (now != null ? ", bounded by causality to ±" + now + " ns" : ""));
            } else if (now != null && now < prior.uncertaintyNs()) {
                notes.add("clock of " + prior.name() + " narrowed by causality from ±" + prior.uncertaintyNs()
                        + " ns to ±" + now + " ns");
            }
        }
        if (j.specialLinks != null) {
            for (JourneyJoin.Link l : j.specialLinks) {
                Segment a = joined.segments.get(l.a());
                Segment b = joined.segments.get(l.b());
                if (l.kind() == JourneyJoin.Kind.CONNTRACK) {
                    Segment nat = a.natSeen ? a : b;
                    notes.add(name(joined, a) + " and " + name(joined, b) + " joined through conntrack's tuple: "
                            + joined.hostName(nat) + " translated the packet (NAT)");
                } else {
                    notes.add(name(joined, a) + " is a wire segment [seq " + a.tcpSeq + ", +" + a.payloadLen
                            + " bytes) of the GSO/GRO super-packet " + name(joined, b) + " [seq " + b.tcpSeq + ", +"
                            + b.payloadLen + " bytes)");
                }
            }
        }
        if (j.state == Journey.State.DROPPED && j.lanes[j.dropLane].dropReason.equals(ProbeRoles.NOT_SPECIFIED)) {
            notes.add("freed by a plain kfree_skb (NOT_SPECIFIED) without reaching a socket: counted as dropped,"
                    + " though the kernel did not say it was a drop");
        }
        if (j.deliveredToStack) {
            notes.add("delivered: it arrived on " + joined.hostName(j.lanes[j.lanes.length - 1]) + " and was neither"
                    + " sent on nor dropped there; no tracepoint shows the socket itself (UDP datagrams and pure TCP"
                    + " acknowledgements reach their socket without one)");
        }
        if (j.lanes.length == 1 && j.lanes[0].joinKeys.length == 0) {
            notes.add("no fingerprint (not an IP packet, or its headers were not in the captured bytes): it can"
                    + " only be shown on the host that saw it");
        }
        if (j.ambiguities != null) {
            for (JourneyJoin.Ambiguity a : j.ambiguities) {
                Segment s = joined.segments.get(a.segment());
                List<String> names = new ArrayList<>();
                for (int c : a.candidates()) {
                    Segment cand = joined.segments.get(c);
                    candidates.add(cand);
                    names.add("packet " + JourneyIds.packet(cand.packetId, cand.generation));
                }
                notes.add("ambiguous: " + name(joined, s) + " matches " + a.candidates().length + " packets on "
                        + joined.hosts.get(a.otherHost()).name() + " that cannot be told apart (" + a.why()
                        + "), so none was joined; candidates: " + String.join(", ", names));
            }
        }
    }

    private static boolean sharesKey(long[] a, long[] b) {
        for (long x : a) {
            for (long y : b) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean payloadCompared(Segment[] lanes) {
        for (int i = 0; i < lanes.length; i++) {
            for (int k = i + 1; k < lanes.length; k++) {
                if (lanes[i].payloadHashed > 0 && lanes[i].payloadHashed == lanes[k].payloadHashed) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String name(JoinedSession joined, Segment s) {
        return joined.hostName(s) + " packet " + JourneyIds.packet(s.packetId, s.generation);
    }
}
