package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins a session's segments into journeys. Never by skb address or packet id across hosts (hosts standing in
 * as network namespaces share skb objects and clocks): only by fingerprint, within a time window.
 *
 * <ol>
 *   <li><b>Same key</b>: segments whose join keys (or a join key and a conntrack alternative) are equal, whose
 *       payload hashes agree where both hashed as many bytes, and whose times on the common clock (each host's
 *       clock offset taken off) are within the window plus both hosts' clock uncertainty, are candidates.
 *   <li><b>GSO/GRO</b>: a TCP segment whose byte range [seq, seq+len) lies inside another's of the same flow and
 *       acknowledgement number, on another host and in the window, is a wire segment of that super-packet
 *       (with the IPv4 IDs consistent where both have one).
 *   <li><b>One host</b>: two segments of one host with the same strong key (a non-zero IPv4 ID) within
 *       {@value #SAME_HOST_GAP_NS} ns of each other are one packet re-created on that host (a copy); with a
 *       weak key (IPv6, ID 0) they are two packets that cannot be told apart.
 *   <li><b>Ambiguity</b>: a candidate pair is joined only if each is the other's only candidate on the other's
 *       host. Otherwise nothing is joined and both are marked ambiguous, naming the candidates: the join says
 *       so rather than guess.
 * </ol>
 */
final class JourneyJoin {
    static final long SAME_HOST_GAP_NS = 5_000_000L;

    enum Kind { EXACT, CONNTRACK, GSO }

    /** An accepted link between two segments. */
    record Link(int a, int b, Kind kind) {}

    /** Why a segment could not be joined to another host. */
    record Ambiguity(int segment, int otherHost, int[] candidates, String why) {}

    private final List<HostClock> hosts;
    private final List<Segment> segs;
    private final long windowNs;
    private final long[] alignedFirst;
    private final long[] alignedLast;
    private final long maxUncertainty;

    final List<Link> links = new ArrayList<>();
    final List<Ambiguity> ambiguities = new ArrayList<>();
    private final UnionFind sameHost;

    JourneyJoin(List<HostClock> hosts, List<Segment> segs, long windowNs) {
        this.hosts = hosts;
        this.segs = segs;
        this.windowNs = windowNs;
        this.sameHost = new UnionFind(segs.size());
        alignedFirst = new long[segs.size()];
        alignedLast = new long[segs.size()];
        long maxU = 0;
        for (HostClock h : hosts) {
            maxU = Math.max(maxU, h.uncertaintyOrUnknown());
        }
        maxUncertainty = maxU;
        for (int i = 0; i < segs.size(); i++) {
            Segment s = segs.get(i);
            long offset = hosts.get(s.host).offsetNs();
            alignedFirst[i] = s.firstNs - offset;
            alignedLast[i] = s.lastNs - offset;
        }
    }

    /** Runs the join; afterwards {@link #links} and {@link #ambiguities} hold the outcome. @return groups of segments */
    List<int[]> run() {
        List<int[]> keyed = new ArrayList<>();     // {a, b, kind}
        sameKeyCandidates(keyed);
        List<int[]> gso = new ArrayList<>();
        gsoCandidates(gso);
        Set<Long> exactToHost = resolve(keyed, true, null);
        resolve(gso, false, exactToHost);
        UnionFind all = new UnionFind(segs.size());
        for (int i = 0; i < segs.size(); i++) {
            all.union(i, sameHost.find(i));
        }
        for (Link l : links) {
            all.union(l.a(), l.b());
        }
        Map<Integer, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < segs.size(); i++) {
            groups.computeIfAbsent(all.find(i), k -> new ArrayList<>(2)).add(i);
        }
        List<int[]> out = new ArrayList<>(groups.size());
        for (List<Integer> g : groups.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Candidates by equal keys, joined at once where they are one packet on one host. */
    private void sameKeyCandidates(List<int[]> out) {
        Map<Long, IntList> byKey = new HashMap<>();
        for (Segment s : segs) {
            for (long k : s.joinKeys) {
                byKey.computeIfAbsent(k, x -> new IntList()).add(s.index);
            }
            for (long k : s.altKeys) {
                if (!s.hasKey(k)) {
                    byKey.computeIfAbsent(k, x -> new IntList()).add(s.index);
                }
            }
        }
        Set<Long> seen = new HashSet<>();
        for (Map.Entry<Long, IntList> group : byKey.entrySet()) {
            IntList members = group.getValue();
            if (members.size < 2) {
                continue;
            }
            int[] m = members.sortedBy(alignedFirst);
            long key = group.getKey();
            for (int x = 0; x < m.length; x++) {
                int a = m[x];
                for (int y = x + 1; y < m.length; y++) {
                    int b = m[y];
                    if (alignedFirst[b] - alignedLast[a] > windowNs + 2 * maxUncertainty) {
                        break;
                    }
                    Segment sa = segs.get(a);
                    Segment sb = segs.get(b);
                    if (!sameFingerprint(sa, sb)) {
                        continue;
                    }
                    if (sa.host == sb.host) {
                        if (!sa.weak() && !sb.weak() && gap(a, b) <= SAME_HOST_GAP_NS) {
                            sameHost.union(a, b);
                        }
                        continue;
                    }
                    if (gap(a, b) > windowNs + uncertainty(sa) + uncertainty(sb)) {
                        continue;
                    }
                    long pair = (long) Math.min(a, b) << 32 | Math.max(a, b);
                    if (!seen.add(pair)) {
                        continue;
                    }
                    boolean exact = sa.hasKey(key) && sb.hasKey(key);
                    out.add(new int[] {a, b, exact ? Kind.EXACT.ordinal() : Kind.CONNTRACK.ordinal()});
                }
            }
        }
    }

    /** Payload hashes agree where both hashed as many bytes; lengths agree unless one is a TCP super-packet. */
    private static boolean sameFingerprint(Segment a, Segment b) {
        if (a.payloadHashed > 0 && a.payloadHashed == b.payloadHashed && a.payloadHash != b.payloadHash) {
            return false;
        }
        if (a.payloadLen >= 0 && b.payloadLen >= 0 && a.payloadLen != b.payloadLen) {
            return a.tcpSeq >= 0 && b.tcpSeq >= 0; // GSO/GRO: the same first bytes, more of them on one side
        }
        return true;
    }

    /** Candidates by TCP byte range: wire segments inside a super-packet of the same flow and ack. */
    private void gsoCandidates(List<int[]> out) {
        Map<Long, IntList> byFlow = new HashMap<>();
        for (Segment s : segs) {
            if (!s.isTcpWithPayload()) {
                continue;
            }
            for (long k : s.flowKeys) {
                byFlow.computeIfAbsent(k * 31 + s.tcpAck, x -> new IntList()).add(s.index);
            }
        }
        Set<Long> seen = new HashSet<>();
        for (IntList members : byFlow.values()) {
            if (members.size < 2) {
                continue;
            }
            int[] m = members.sortedBy(alignedFirst);
            for (int x = 0; x < m.length; x++) {
                for (int y = x + 1; y < m.length; y++) {
                    int a = m[x];
                    int b = m[y];
                    if (alignedFirst[b] - alignedLast[a] > windowNs + 2 * maxUncertainty) {
                        break;
                    }
                    Segment sa = segs.get(a);
                    Segment sb = segs.get(b);
                    if (sa.tcpAck != sb.tcpAck) {
                        continue;
                    }
                    int part;
                    int whole;
                    if (contains(sa, sb)) {
                        whole = a;
                        part = b;
                    } else if (contains(sb, sa)) {
                        whole = b;
                        part = a;
                    } else {
                        continue;
                    }
                    Segment sp = segs.get(part);
                    Segment sw = segs.get(whole);
                    if (!idsConsistent(sw, sp)) {
                        continue;
                    }
                    if (sp.host == sw.host) {
                        if (gap(a, b) <= SAME_HOST_GAP_NS && sp.ipId != null && sw.ipId != null) {
                            sameHost.union(a, b);
                        }
                        continue;
                    }
                    if (gap(a, b) > windowNs + uncertainty(sa) + uncertainty(sb)) {
                        continue;
                    }
                    long pair = (long) Math.min(a, b) << 32 | Math.max(a, b);
                    if (seen.add(pair)) {
                        out.add(new int[] {part, whole, Kind.GSO.ordinal()});
                    }
                }
            }
        }
    }

    /** Whether {@code part}'s bytes lie inside {@code whole}'s and are fewer (sequence numbers wrap at 2^32). */
    static boolean contains(Segment whole, Segment part) {
        long d = (part.tcpSeq - whole.tcpSeq) & 0xffffffffL;
        return part.payloadLen < whole.payloadLen && d + part.payloadLen <= whole.payloadLen;
    }

    /**
     * Segmentation numbers the wire segments' IPv4 IDs on from the super-packet's (or keeps one fixed ID): the
     * k-th segment of MSS-sized ones has ID + k. Without IDs (IPv6) nothing can be checked.
     */
    static boolean idsConsistent(Segment whole, Segment part) {
        if (whole.ipId == null || part.ipId == null) {
            return true;
        }
        long d = (part.tcpSeq - whole.tcpSeq) & 0xffffffffL;
        int delta = (part.ipId - whole.ipId) & 0xffff;
        return delta == 0 || delta == d / part.payloadLen;
    }

    /**
     * Keeps the candidate pairs that are unambiguous: each side's only candidate on the other's host (for GSO,
     * the wire segment's only super-packet on that host; a super-packet has many segments).
     *
     * @param exactToHost for GSO: (segment root, host) pairs already joined by key, which GSO does not override
     * @return the (segment root, host) pairs joined
     */
    private Set<Long> resolve(List<int[]> candidates, boolean bothWays, Set<Long> exactToHost) {
        Map<Long, Integer> only = new HashMap<>();   // (root, other host) -> the one other root, or -1 if several
        Map<Long, IntList> all = new HashMap<>();
        for (int[] c : candidates) {
            int ra = sameHost.find(c[0]);
            int rb = sameHost.find(c[1]);
            count(only, all, ra, rb);
            if (bothWays) {
                count(only, all, rb, ra);
            }
        }
        Set<Long> joined = new HashSet<>();
        Set<Long> reported = new HashSet<>();
        for (int[] c : candidates) {
            int ra = sameHost.find(c[0]);
            int rb = sameHost.find(c[1]);
            long ab = slot(ra, segs.get(rb).host);
            long ba = slot(rb, segs.get(ra).host);
            if (exactToHost != null && exactToHost.contains(ab)) {
                continue;
            }
            boolean unique = only.get(ab) == rb && (!bothWays || only.get(ba) == ra);
            if (unique) {
                links.add(new Link(c[0], c[1], Kind.values()[c[2]]));
                joined.add(ab);
                joined.add(ba);
                continue;
            }
            if (only.get(ab) == -1 && reported.add(ab)) {
                ambiguities.add(new Ambiguity(ra, segs.get(rb).host, all.get(ab).toArray(), why(segs.get(ra), c[2])));
            }
            if (bothWays && only.get(ba) == -1 && reported.add(ba)) {
                ambiguities.add(new Ambiguity(rb, segs.get(ra).host, all.get(ba).toArray(), why(segs.get(rb), c[2])));
            }
        }
        return joined;
    }

    private void count(Map<Long, Integer> only, Map<Long, IntList> all, int from, int to) {
        long slot = slot(from, segs.get(to).host);
        Integer prior = only.get(slot);
        if (prior == null) {
            only.put(slot, to);
            all.computeIfAbsent(slot, x -> new IntList()).add(to);
        } else if (prior != to) {
            IntList list = all.get(slot);
            if (!list.contains(to)) {
                list.add(to);
                only.put(slot, -1);
            }
        }
    }

    private static String why(Segment s, int kind) {
        if (kind == Kind.GSO.ordinal()) {
            return "its TCP bytes lie inside several super-packets there";
        }
        if (s.ipId == null) {
            return "no IPv4 ID (IPv6): same tuple" + (s.tcpSeq >= 0 ? ", sequence and acknowledgement numbers" : "")
                    + (s.payloadHashed > 0 ? " and payload" : "");
        }
        if (s.ipId == 0) {
            return "IPv4 ID 0 (don't-fragment packets of unconnected sockets): same tuple"
                    + (s.payloadHashed > 0 ? " and payload" : "");
        }
        return "same tuple, IPv4 ID" + (s.tcpSeq >= 0 ? ", sequence and acknowledgement numbers" : "")
                + " within the time window";
    }

    private static long slot(int segment, int host) {
        return (long) segment << 20 | host;
    }

    /** How far apart two segments' intervals are on the common clock (0 if they overlap). */
    private long gap(int a, int b) {
        return Math.max(0, Math.max(alignedFirst[b] - alignedLast[a], alignedFirst[a] - alignedLast[b]));
    }

    private long uncertainty(Segment s) {
        return hosts.get(s.host).uncertaintyOrUnknown();
    }

    /** A growable list of ints. */
    static final class IntList {
        int[] items = new int[2];
        int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        boolean contains(int v) {
            for (int i = 0; i < size; i++) {
                if (items[i] == v) {
                    return true;
                }
            }
            return false;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }

        /** The items ordered by {@code by[item]}, ties by item. */
        int[] sortedBy(long[] by) {
            int[] a = toArray();
            if (a.length == 2) {
                if (by[a[1]] < by[a[0]] || by[a[1]] == by[a[0]] && a[1] < a[0]) {
                    return new int[] {a[1], a[0]};
                }
                return a;
            }
            return Arrays.stream(a).boxed().sorted((x, y) -> by[x] != by[y] ? Long.compare(by[x], by[y])
                    : Integer.compare(x, y)).mapToInt(Integer::intValue).toArray();
        }
    }

    /** Union-find with path halving. */
    static final class UnionFind {
        private final int[] parent;

        UnionFind(int n) {
            parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }
}
