package io.skbtrail.server.journeys;

import io.skbtrail.protocol.Event;
import io.skbtrail.server.agents.Clocks;
import io.skbtrail.server.events.EventQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diff of two packet paths (a journey, or one host's part of it): their probe points aligned as sequences
 * ({@link SequenceAlignment}) with the first point where they part. Points carry their host when both sides are
 * journeys through common hosts, so "dropped on the router" and "passed the router" differ; a drop carries its
 * reason. Paths traced with different backends (tracepoints against kprobes) pass different kernel hooks: the
 * diff says so and compares only their outcome instead of reporting every hook as a divergence.
 */
final class PathDiffs {
    /** A side resolved: its steps in the order the packet passed them. */
    record Path(DiffSide side, JoinedSession joined, Journey journey, List<DiffViews.Step> steps) {}

    private PathDiffs() {}

    static Path path(DiffSide side, JourneyService.Found found) {
        JoinedSession joined = found.view().joined();
        Journey j = found.journey();
        List<DiffViews.Step> steps = new ArrayList<>();
        for (int lane = 0; lane < j.lanes.length; lane++) {
            Segment s = j.lanes[lane];
            String host = joined.hostName(s);
            if (side.host() != null && (!side.host().equals(host) || s.packetId != side.packet()
                    || s.generation != side.generation())) {
                continue;
            }
            for (EventQuery.Stored stored : found.events()) {
                Event e = stored.event();
                long ns = Clocks.epochNanos(e.time());
                if (stored.hostId() == joined.hostId(s) && e.packetId() == s.packetId && s.holds(ns)) {
                    steps.add(new DiffViews.Step(host, point(e.func(), e.dropReason()), e.func(), e.dropReason(),
                            e.location(), e.iface(), e.packetId(), JourneyJson.time(ns), ns - j.laneOffsetNs[lane]));
                }
            }
        }
        return new Path(side, joined, j, steps);
    }

    static String point(String func, String dropReason) {
        return dropReason == null ? func : func + "(" + dropReason + ")";
    }

    static DiffViews.PathDiff diff(Path left, Path right) {
        boolean byHost = left.side().journey() != null && right.side().journey() != null
                && !intersection(hosts(left), hosts(right)).isEmpty();
        List<String> lb = backends(left);
        List<String> rb = backends(right);
        boolean backendsDiffer = !lb.isEmpty() && !rb.isEmpty() && !lb.equals(rb);
        DiffViews.PathSide ls = side(left, lb);
        DiffViews.PathSide rs = side(right, rb);
        if (backendsDiffer) {
            String message = "left was traced with " + String.join(" and ", lb) + ", right with " + String.join(" and ", rb)
                    + ": they pass different kernel hooks, so the paths are not compared point by point; outcome: left "
                    + outcome(ls) + ", right " + outcome(rs);
            return new DiffViews.PathDiff("paths", ls, rs, byHost, true, message, false, null, List.of(),
                    left.steps(), right.steps());
        }
        Map<String, Integer> ids = new HashMap<>();
        int[] a = tokens(left.steps(), byHost, ids);
        int[] b = tokens(right.steps(), byHost, ids);
        List<SequenceAlignment.Row> aligned;
        try {
            aligned = SequenceAlignment.align(a, b);
        } catch (IllegalArgumentException e) {
            throw io.skbtrail.server.api.ApiProblem.conflict(e.getMessage() + " (at most "
                    + SequenceAlignment.MAX_CELLS + " pairs of points)");
        }
        List<DiffViews.Row> rows = rows(aligned, left.steps(), right.steps());
        DiffViews.Divergence first = firstDivergence(rows, byHost);
        return new DiffViews.PathDiff("paths", ls, rs, byHost, false, first == null ? "the paths are the same"
                : first.message(), first == null, first, rows, null, null);
    }

    static List<DiffViews.Row> rows(List<SequenceAlignment.Row> aligned, List<DiffViews.Step> left,
            List<DiffViews.Step> right) {
        List<DiffViews.Row> rows = new ArrayList<>(aligned.size());
        for (SequenceAlignment.Row r : aligned) {
            String op = switch (r.op()) {
                case SAME -> "same";
                case CHANGED -> "changed";
                case LEFT_ONLY -> "left";
                case RIGHT_ONLY -> "right";
            };
            rows.add(new DiffViews.Row(op, r.left() < 0 ? null : left.get(r.left()),
                    r.right() < 0 ? null : right.get(r.right())));
        }
        return rows;
    }

    static DiffViews.Divergence firstDivergence(List<DiffViews.Row> rows, boolean byHost) {
        DiffViews.Step after = null;
        for (int i = 0; i < rows.size(); i++) {
            DiffViews.Row row = rows.get(i);
            if (row.op().equals("same")) {
                after = row.left();
                continue;
            }
            StringBuilder m = new StringBuilder();
            m.append(after == null ? "from the start" : "after " + label(after, byHost)).append(": left ")
                    .append(row.left() == null ? "has nothing here" : label(row.left(), true)).append(", right ")
                    .append(row.right() == null ? "has nothing here" : label(row.right(), true));
            return new DiffViews.Divergence(i, after, row.left(), row.right(), m.toString());
        }
        return null;
    }

    private static String label(DiffViews.Step s, boolean withHost) {
        return withHost ? s.point() + " on " + s.host() : s.point();
    }

    private static int[] tokens(List<DiffViews.Step> steps, boolean byHost, Map<String, Integer> ids) {
        int[] t = new int[steps.size()];
        for (int i = 0; i < t.length; i++) {
            DiffViews.Step s = steps.get(i);
            String key = byHost ? s.host() + " " + s.point() : s.point();
            t[i] = ids.computeIfAbsent(key, k -> ids.size());
        }
        return t;
    }

    private static DiffViews.PathSide side(Path p, List<String> backends) {
        Journey j = p.journey();
        Segment drop = j.dropLane < 0 ? null : j.lanes[j.dropLane];
        return new DiffViews.PathSide(p.side().ref(), p.side().session(), j.id, p.side().host(), p.side().packet(),
                j.state.wireName(), drop == null ? null : p.joined().hostName(drop), drop == null ? null : drop.dropReason,
                backends, p.steps().size());
    }

    private static String outcome(DiffViews.PathSide s) {
        return s.state() + (s.dropReason() == null ? "" : " (" + s.dropReason() + " on " + s.dropHost() + ")");
    }

    private static Set<String> hosts(Path p) {
        Set<String> hosts = new HashSet<>();
        for (DiffViews.Step s : p.steps()) {
            hosts.add(s.host());
        }
        return hosts;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> c = new HashSet<>(a);
        c.retainAll(b);
        return c;
    }

    /** The backend families of the hosts on the path: {@code tracepoint} or {@code kprobe} (kprobe, kprobe.multi). */
    private static List<String> backends(Path p) {
        Set<String> families = new TreeSet<>();
        Set<String> hosts = hosts(p);
        for (HostClock h : p.joined().hosts) {
            if (hosts.contains(h.name()) && family(h.backend()) != null) {
                families.add(family(h.backend()));
            }
        }
        return List.copyOf(families);
    }

    static String family(String backend) {
        if (backend == null) {
            return null;
        }
        return backend.startsWith("kprobe") ? "kprobe" : backend;
    }
}
