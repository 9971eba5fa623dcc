package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The diff of two sessions (before and after a firewall change, say), per flow: which probe points and drop
 * reasons appear on one side and not the other, how often, and where the most common path of the flow on each
 * side parts from the other's. Flows are the journeys' flows (the tuple as the sender sent it) with ports of
 * Linux's ephemeral range (32768 and up) left out, so two runs of the same client compare. A side can be one host's
 * part of a session ({@code 12@router}): only journeys through that host, only its points and drops; since a
 * journey's flow is the sender's tuple whichever host is looked at, the same packet counts under the same flow on
 * the sender, the router and the receiver.
 */
final class SessionDiffs {
    static final int MAX_FLOWS = 200;
    static final int EPHEMERAL_PORTS = 32768;

    private SessionDiffs() {}

    /** What one side holds for one flow. */
    private static final class FlowAgg {
        long journeys;
        final Map<String, Long> states = new TreeMap<>();
        final Map<String, Long> drops = new TreeMap<>();
        final Map<Integer, long[]> points = new HashMap<>();   // token -> {events, journeys}
        final Map<String, long[]> paths = new HashMap<>();     // path -> {count, first seen}
        final Map<String, String> dropHost = new HashMap<>();
    }

    /** One side: a session, or one host's part of it ({@code host} its index in the join, -1 for every host). */
    record Scope(DiffSide side, SessionJourneys.View view, int host) {
        JoinedSession joined() {
            return view.joined();
        }

        boolean includes(int hostIndex) {
            return host < 0 || host == hostIndex;
        }

        /** Whether the journey passed this side's host (every journey, for a whole session). */
        boolean sees(Journey j) {
            for (Segment lane : j.lanes) {
                if (includes(lane.host)) {
                    return true;
                }
            }
            return false;
        }

        Set<String> hostNames() {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < joined().hosts.size(); i++) {
                if (includes(i)) {
                    names.add(joined().hosts.get(i).name());
                }
            }
            return names;
        }
    }

    static DiffViews.SessionDiff diff(Scope left, Scope right) {
        Set<String> common = left.hostNames();
        common.retainAll(right.hostNames());
        // Points are told apart by host only where both sides have hosts in common: two hosts of one session
        // (12@a against 12@b) compare their points as such.
        boolean byHost = !common.isEmpty();
        List<String> lb = backends(left);
        List<String> rb = backends(right);
        boolean backendsDiffer = !lb.isEmpty() && !rb.isEmpty() && !lb.equals(rb);
        Tokens tokens = new Tokens(byHost);
        Map<DiffViews.Flow, FlowAgg> lf = aggregate(left, tokens);
        Map<DiffViews.Flow, FlowAgg> rf = aggregate(right, tokens);
        Set<DiffViews.Flow> flows = new java.util.LinkedHashSet<>(lf.keySet());
        flows.addAll(rf.keySet());
        List<DiffViews.FlowDiff> out = new ArrayList<>();
        for (DiffViews.Flow f : flows) {
            out.add(flow(f, lf.get(f), rf.get(f), tokens, byHost, backendsDiffer));
        }
        out.sort(Comparator.comparing((DiffViews.FlowDiff d) -> !differs(d))
                .thenComparing(d -> -(count(d.left()) + count(d.right()))));
        DiffViews.FlowDiff first = null;
        boolean identical = true;
        for (DiffViews.FlowDiff d : out) {
            if (differs(d)) {
                identical = false;
                if (first == null && d.firstDivergence() != null) {
                    first = d;
                }
            }
        }
        boolean truncated = out.size() > MAX_FLOWS;
        String message = backendsDiffer
                ? "left was traced with " + String.join(" and ", lb) + ", right with " + String.join(" and ", rb)
                        + ": they pass different kernel hooks, so probe points are not compared (only outcomes and drop reasons)"
                : identical ? "the sessions show the same probe points and drop reasons for every flow"
                : first != null ? first.firstDivergence().message() : "flows differ (see each flow)";
        return new DiffViews.SessionDiff("sessions", side(left, lb), side(right, rb), byHost,
                backendsDiffer, message, identical, first, truncated ? out.subList(0, MAX_FLOWS) : out, truncated);
    }

    private static long count(DiffViews.FlowSide s) {
        return s == null ? 0 : s.journeys();
    }

    private static boolean differs(DiffViews.FlowDiff d) {
        return d.left() == null || d.right() == null || !d.leftOnly().isEmpty() || !d.rightOnly().isEmpty()
                || !d.dropReasonsLeftOnly().isEmpty() || !d.dropReasonsRightOnly().isEmpty() || d.firstDivergence() != null;
    }

    private static DiffViews.SessionSide side(Scope scope, List<String> backends) {
        JoinedSession s = scope.joined();
        long journeys = s.journeys.length;
        long events = s.events;
        if (scope.host() >= 0) {
            journeys = 0;
            events = 0;
            for (Journey j : s.journeys) {
                if (scope.sees(j)) {
                    journeys++;
                    for (Segment lane : j.lanes) {
                        events += scope.includes(lane.host) ? lane.events : 0;
                    }
                }
            }
        }
        return new DiffViews.SessionSide(scope.side().ref(), scope.side().session(), scope.side().sessionHost(),
                journeys, events, scope.view().complete(), backends);
    }

    private static List<String> backends(Scope scope) {
        Set<String> families = new TreeSet<>();
        List<HostClock> hosts = scope.joined().hosts;
        for (int i = 0; i < hosts.size(); i++) {
            String f = PathDiffs.family(hosts.get(i).backend());
            if (f != null && scope.includes(i)) {
                families.add(f);
            }
        }
        return List.copyOf(families);
    }

    /** Probe points of both sessions in one numbering: "host point" (or "point" when hosts are not compared). */
    private static final class Tokens {
        final boolean byHost;
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> hosts = new ArrayList<>();
        final List<String> points = new ArrayList<>();

        Tokens(boolean byHost) {
            this.byHost = byHost;
        }

        int id(String host, String point) {
            String key = byHost ? host + " " + point : point;
            Integer id = ids.get(key);
            if (id == null) {
                id = points.size();
                ids.put(key, id);
                hosts.add(byHost ? host : null);
                points.add(point);
            }
            return id;
        }

        String text(int id) {
            return hosts.get(id) == null ? points.get(id) : hosts.get(id) + " " + points.get(id);
        }
    }

    private static Map<DiffViews.Flow, FlowAgg> aggregate(Scope scope, Tokens tokens) {
        JoinedSession s = scope.joined();
        Map<DiffViews.Flow, FlowAgg> flows = new LinkedHashMap<>();
        Map<Long, Integer> ids = new HashMap<>();
        for (Journey j : s.journeys) {
            Flow f = j.flow;
            if (f == null || f.saddr() == null || !scope.sees(j)) {
                continue;
            }
            FlowAgg agg = flows.computeIfAbsent(flow(f), k -> new FlowAgg());
            agg.journeys++;
            agg.states.merge(state(j, scope), 1L, Long::sum);
            if (j.dropLane >= 0 && scope.includes(j.lanes[j.dropLane].host)) {
                Segment d = j.lanes[j.dropLane];
                String key = tokens.byHost ? s.hostName(d) + " " + d.dropReason : d.dropReason;
                agg.drops.merge(key, 1L, Long::sum);
                agg.dropHost.put(key, s.hostName(d));
            }
            StringBuilder path = new StringBuilder();
            Set<Integer> inJourney = new HashSet<>();
            for (Segment lane : j.lanes) {
                if (!scope.includes(lane.host)) {
                    continue;
                }
                for (int e = 0; e < lane.events; e++) {
                    long local = (long) lane.host << 32 | lane.tokens[e];
                    Integer id = ids.get(local);
                    if (id == null) {
                        id = tokens.id(s.hostName(lane), s.tokens.get(lane.tokens[e]));
                        ids.put(local, id);
                    }
                    long[] c = agg.points.computeIfAbsent(id, k -> new long[2]);
                    c[0]++;
                    if (inJourney.add(id)) {
                        c[1]++;
                    }
                    path.append(id).append(',');
                }
            }
            long[] p = agg.paths.computeIfAbsent(path.toString(), k -> new long[] {0, agg.journeys});
            p[0]++;
        }
        return flows;
    }

    /**
     * The journey's outcome, or for one host's part of a session what became of the packet there: dropped there,
     * {@code passed} on to another traced host, or the journey's own outcome where this host was its last.
     */
    private static String state(Journey j, Scope scope) {
        if (scope.host() < 0) {
            return j.state.wireName();
        }
        if (j.dropLane >= 0 && j.lanes[j.dropLane].host == scope.host()) {
            return Journey.State.DROPPED.wireName();
        }
        return j.lanes[j.lanes.length - 1].host == scope.host() && j.dropLane < 0 ? j.state.wireName() : "passed";
    }

    static DiffViews.Flow flow(Flow f) {
        return new DiffViews.Flow(f.saddr(), f.daddr(), f.sport() >= EPHEMERAL_PORTS ? null : f.sport(),
                f.dport() >= EPHEMERAL_PORTS ? null : f.dport(), f.proto());
    }

    private static DiffViews.FlowDiff flow(DiffViews.Flow f, FlowAgg l, FlowAgg r, Tokens tokens, boolean byHost,
            boolean backendsDiffer) {
        List<DiffViews.Count> leftOnly = new ArrayList<>();
        List<DiffViews.Count> rightOnly = new ArrayList<>();
        List<DiffViews.Count> dropsLeft = new ArrayList<>();
        List<DiffViews.Count> dropsRight = new ArrayList<>();
        DiffViews.Divergence first = null;
        List<DiffViews.Row> rows = List.of();
        if (l != null && r != null) {
            if (!backendsDiffer) {
                onlyIn(l, r, tokens, leftOnly);
                onlyIn(r, l, tokens, rightOnly);
            }
            dropsOnlyIn(l, r, dropsLeft);
            dropsOnlyIn(r, l, dropsRight);
            if (!backendsDiffer) {
                int[] lp = representative(l);
                int[] rp = representative(r);
                rows = PathDiffs.rows(SequenceAlignment.align(lp, rp), steps(lp, tokens), steps(rp, tokens));
                first = PathDiffs.firstDivergence(rows, byHost);
            }
        }
        return new DiffViews.FlowDiff(f, flowSide(l, tokens), flowSide(r, tokens), leftOnly, rightOnly, dropsLeft,
                dropsRight, first, rows);
    }

    private static void onlyIn(FlowAgg a, FlowAgg b, Tokens tokens, List<DiffViews.Count> out) {
        a.points.entrySet().stream().filter(e -> !b.points.containsKey(e.getKey()))
                .sorted(Comparator.comparing(e -> e.getKey()))
                .forEach(e -> out.add(new DiffViews.Count(tokens.hosts.get(e.getKey()), tokens.points.get(e.getKey()),
                        e.getValue()[0], e.getValue()[1])));
    }

    private static void dropsOnlyIn(FlowAgg a, FlowAgg b, List<DiffViews.Count> out) {
        for (Map.Entry<String, Long> d : a.drops.entrySet()) {
            if (!b.drops.containsKey(d.getKey())) {
                String host = a.dropHost.get(d.getKey());
                String reason = d.getKey().substring(d.getKey().indexOf(' ') + 1);
                out.add(new DiffViews.Count(host, reason, d.getValue(), d.getValue()));
            }
        }
    }

    /** The flow's most common path on this side (the earliest of equally common ones). */
    private static int[] representative(FlowAgg agg) {
        String best = null;
        long[] bestCount = null;
        for (Map.Entry<String, long[]> p : agg.paths.entrySet()) {
            long[] c = p.getValue();
            if (bestCount == null || c[0] > bestCount[0] || c[0] == bestCount[0] && c[1] < bestCount[1]) {
                best = p.getKey();
                bestCount = c;
            }
        }
        if (best == null || best.isEmpty()) {
            return new int[0];
        }
        String[] parts = best.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ids[i] = Integer.parseInt(parts[i]);
        }
        return ids;
    }

    private static List<DiffViews.Step> steps(int[] ids, Tokens tokens) {
        List<DiffViews.Step> steps = new ArrayList<>(ids.length);
        for (int id : ids) {
            String point = tokens.points.get(id);
            int paren = point.indexOf('(');
            String func = paren < 0 ? point : point.substring(0, paren);
            String reason = paren < 0 ? null : point.substring(paren + 1, point.length() - 1);
            steps.add(new DiffViews.Step(tokens.hosts.get(id), point, func, reason, null, null, 0, null, null));
        }
        return steps;
    }

    private static DiffViews.FlowSide flowSide(FlowAgg agg, Tokens tokens) {
        if (agg == null) {
            return null;
        }
        List<String> path = new ArrayList<>();
        for (int id : representative(agg)) {
            path.add(tokens.text(id));
        }
        Map<String, Long> drops = new TreeMap<>(agg.drops);
        return new DiffViews.FlowSide(agg.journeys, agg.states, drops, path);
    }
}
