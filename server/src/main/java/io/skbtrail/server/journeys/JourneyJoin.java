package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins a session's segments into journeys. Never by skb address or packet id across hosts (hosts standing in as
 * network namespaces share skb objects and clocks): only by fingerprint, within a time window.
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
 *
 * <p>Everything is grouped by sorting primitive arrays (no boxed number per segment): a million events join in
 * about a second of this machine's time.
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
    private final long[] hostUncertainty;
    private final long maxUncertainty;

    final List<Link> links = new ArrayList<>();
    final List<Ambiguity> ambiguities = new ArrayList<>();
    private final UnionFind sameHost;
    /** The final union of segments: same host, then every accepted link. */
    UnionFind all;

    JourneyJoin(List<HostClock> hosts, List<Segment> segs, long windowNs) {
        this.hosts = hosts;
        this.segs = segs;
        this.windowNs = windowNs;
        this.sameHost = new UnionFind(segs.size());
        alignedFirst = new long[segs.size()];
        alignedLast = new long[segs.size()];
        hostUncertainty = new long[hosts.size()];
        long maxU = 0;
        for (int h = 0; h < hosts.size(); h++) {
            hostUncertainty[h] = hosts.get(h).uncertaintyOrUnknown();
            maxU = Math.max(maxU, hostUncertainty[h]);
        }
        maxUncertainty = maxU;
        for (int i = 0; i < segs.size(); i++) {
            Segment s = segs.get(i);
            long offset = hosts.get(s.host).offsetNs();
            alignedFirst[i] = s.firstNs - offset;
            alignedLast[i] = s.lastNs - offset;
        }
    }

    /** Runs the join; afterwards {@link #links}, {@link #ambiguities} and {@link #all} hold the outcome. */
    void run() {
        Candidates keyed = new Candidates();
        sameKeyCandidates(keyed);
        Candidates gso = new Candidates();
        gsoCandidates(gso);
        keyed.dedupe();
        gso.dedupe();
        SlotCounts exactJoined = resolve(keyed, true, null);
        resolve(gso, false, exactJoined);
        all = new UnionFind(segs.size());
        for (int i = 0; i < segs.size(); i++) {
            all.union(i, sameHost.find(i));
        }
        for (Link l : links) {
            all.union(l.a(), l.b());
        }
    }

    /** Candidate pairs: (smaller index << 32 | larger index) with a kind each. */
    private static final class Candidates {
        final KeyedInts pairs = new KeyedInts(1024);

        void add(int a, int b, Kind kind) {
            pairs.add((long) Math.min(a, b) << 32 | Math.max(a, b), kind.ordinal());
        }

        /** One entry per pair (an exact match outranks a conntrack one); kept in pair order. */
        void dedupe() {
            pairs.sort();
            int out = 0;
            for (int i = 0; i < pairs.size; ) {
                int end = pairs.runEnd(i);
                int kind = pairs.values[i];
                for (int k = i + 1; k < end; k++) {
                    kind = Math.min(kind, pairs.values[k]);
                }
                pairs.keys[out] = pairs.keys[i];
                pairs.values[out] = kind;
                out++;
                i = end;
            }
            pairs.size = out;
        }

        int size() {
            return pairs.size;
        }

        int a(int i) {
            return (int) (pairs.keys[i] >>> 32);
        }

        int b(int i) {
            return (int) pairs.keys[i];
        }

        Kind kind(int i) {
            return Kind.values()[pairs.values[i]];
        }
    }

    /** Candidates by equal keys, joined at once where they are one packet on one host. */
    private void sameKeyCandidates(Candidates out) {
        KeyedInts byKey = new KeyedInts(segs.size() + segs.size() / 4);
        for (Segment s : segs) {
            for (long k : s.joinKeys) {
                byKey.add(k, s.index);
            }
            for (long k : s.altKeys) {
                if (!s.hasKey(k)) {
                    byKey.add(k, s.index);
                }
            }
        }
        byKey.sort();
        int[] members = new int[16];
        for (int from = 0; from < byKey.size; ) {
            int to = byKey.runEnd(from);
            int n = to - from;
            if (n >= 2) {
                if (members.length < n) {
                    members = new int[n * 2];
                }
                System.arraycopy(byKey.values, from, members, 0, n);
                sortByFirst(members, n);
                long key = byKey.keys[from];
                for (int x = 0; x < n; x++) {
                    int a = members[x];
                    for (int y = x + 1; y < n; y++) {
                        int b = members[y];
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
                        if (gap(a, b) > windowNs + hostUncertainty[sa.host] + hostUncertainty[sb.host]) {
                            continue;
                        }
                        out.add(a, b, sa.hasKey(key) && sb.hasKey(key) ? Kind.EXACT : Kind.CONNTRACK);
                    }
                }
            }
            from = to;
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
    private void gsoCandidates(Candidates out) {
        KeyedInts byFlow = new KeyedInts(1024);
        for (Segment s : segs) {
            if (s.isTcpWithPayload()) {
                for (long k : s.flowKeys) {
                    byFlow.add(k * 0x9E3779B97F4A7C15L + s.tcpAck, s.index);
                }
            }
        }
        byFlow.sort();
        int[] members = new int[16];
        for (int from = 0; from < byFlow.size; ) {
            int to = byFlow.runEnd(from);
            int n = to - from;
            if (n >= 2) {
                if (members.length < n) {
                    members = new int[n * 2];
                }
                System.arraycopy(byFlow.values, from, members, 0, n);
                sortByFirst(members, n);
                for (int x = 0; x < n; x++) {
                    for (int y = x + 1; y < n; y++) {
                        int a = members[x];
                        int b = members[y];
                        if (alignedFirst[b] - alignedLast[a] > windowNs + 2 * maxUncertainty) {
                            break;
                        }
                        gsoPair(a, b, out);
                    }
                }
            }
            from = to;
        }
    }

    private void gsoPair(int a, int b, Candidates out) {
        Segment sa = segs.get(a);
        Segment sb = segs.get(b);
        if (sa.tcpAck != sb.tcpAck) {
            return;
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
            return;
        }
        Segment sp = segs.get(part);
        Segment sw = segs.get(whole);
        if (!idsConsistent(sw, sp)) {
            return;
        }
        if (sp.host == sw.host) {
            if (gap(a, b) <= SAME_HOST_GAP_NS && sp.ipId >= 0 && sw.ipId >= 0) {
                sameHost.union(a, b);
            }
            return;
        }
        if (gap(a, b) <= windowNs + hostUncertainty[sa.host] + hostUncertainty[sb.host]) {
            // Kept as (part, whole) in the pair order by the sign of the kind's slot: see resolve.
            out.pairs.add((long) part << 32 | whole, Kind.GSO.ordinal());
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
        if (whole.ipId < 0 || part.ipId < 0) {
            return true;
        }
        long d = (part.tcpSeq - whole.tcpSeq) & 0xffffffffL;
        int delta = (part.ipId - whole.ipId) & 0xffff;
        return delta == 0 || delta == d / part.payloadLen;
    }

    /**
     * For each (segment root, other host): the one root it has candidates in there, or -1 when several. Sorted
     * by slot, looked up by binary search.
     */
    private static final class SlotCounts {
        long[] slots = new long[0];
        int[] only = new int[0];
        int size;

        static SlotCounts of(KeyedInts entries) {
            entries.sort();
            SlotCounts c = new SlotCounts();
            c.slots = new long[entries.size];
            c.only = new int[entries.size];
            for (int i = 0; i < entries.size; ) {
                int end = entries.runEnd(i);
                int one = entries.values[i];
                for (int k = i + 1; k < end; k++) {
                    if (entries.values[k] != one) {
                        one = -1;
                        break;
                    }
                }
                c.slots[c.size] = entries.keys[i];
                c.only[c.size] = one;
                c.size++;
                i = end;
            }
            return c;
        }

        int only(long slot) {
            int i = Arrays.binarySearch(slots, 0, size, slot);
            return i < 0 ? Integer.MIN_VALUE : only[i];
        }

        boolean contains(long slot) {
            return Arrays.binarySearch(slots, 0, size, slot) >= 0;
        }
    }

    /**
     * Keeps the candidate pairs that are unambiguous: each side's only candidate on the other's host (for GSO,
     * the wire segment's only super-packet on that host; a super-packet has many segments).
     *
     * @param exactJoined for GSO: (segment root, host) pairs already joined by key, which GSO does not override
     * @return the (segment root, host) pairs joined
     */
    private SlotCounts resolve(Candidates candidates, boolean bothWays, SlotCounts exactJoined) {
        KeyedInts entries = new KeyedInts(candidates.size() * 2);
        for (int i = 0; i < candidates.size(); i++) {
            int ra = sameHost.find(candidates.a(i));
            int rb = sameHost.find(candidates.b(i));
            entries.add(slot(ra, segs.get(rb).host), rb);
            if (bothWays) {
                entries.add(slot(rb, segs.get(ra).host), ra);
            }
        }
        SlotCounts counts = SlotCounts.of(entries);
        KeyedInts joined = new KeyedInts(candidates.size() * 2);
        java.util.Set<Long> reported = new java.util.HashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            int a = candidates.a(i);
            int b = candidates.b(i);
            int ra = sameHost.find(a);
            int rb = sameHost.find(b);
            long ab = slot(ra, segs.get(rb).host);
            long ba = slot(rb, segs.get(ra).host);
            if (exactJoined != null && exactJoined.contains(ab)) {
                continue;
            }
            if (counts.only(ab) == rb && (!bothWays || counts.only(ba) == ra)) {
                links.add(new Link(a, b, candidates.kind(i)));
                joined.add(ab, 0);
                joined.add(ba, 0);
                continue;
            }
            if (counts.only(ab) == -1) {
                ambiguous(reported, ab, ra, rb, entries, candidates.kind(i));
            }
            if (bothWays && counts.only(ba) == -1) {
                ambiguous(reported, ba, rb, ra, entries, candidates.kind(i));
            }
        }
        return SlotCounts.of(joined);
    }

    private void ambiguous(java.util.Set<Long> reported, long slot, int root, int other, KeyedInts entries, Kind kind) {
        if (!reported.add(slot)) {
            return;
        }
        int from = lowerBound(entries, slot);
        int to = entries.runEnd(from);
        int[] distinct = Arrays.stream(entries.values, from, to).distinct().sorted().toArray();
        ambiguities.add(new Ambiguity(root, segs.get(other).host, distinct, why(segs.get(root), kind)));
    }

    private static int lowerBound(KeyedInts sorted, long key) {
        int lo = 0;
        int hi = sorted.size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted.keys[mid], key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String why(Segment s, Kind kind) {
        if (kind == Kind.GSO) {
            return "its TCP bytes lie inside several super-packets there";
        }
        if (s.ipId < 0) {
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

    /** A segment root and a host in one sortable number (slots are compared as unsigned). */
    private static long slot(int segment, int host) {
        return (long) segment << 24 | host;
    }

    /** How far apart two segments' intervals are on the common clock (0 if they overlap). */
    private long gap(int a, int b) {
        return Math.max(0, Math.max(alignedFirst[b] - alignedLast[a], alignedFirst[a] - alignedLast[b]));
    }

    /** Insertion sort by aligned first time (then index): groups are a few segments each. */
    private void sortByFirst(int[] m, int n) {
        if (n > 32) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = m[i];
            }
            Arrays.sort(boxed, (x, y) -> alignedFirst[x] != alignedFirst[y]
                    ? Long.compare(alignedFirst[x], alignedFirst[y]) : Integer.compare(x, y));
            for (int i = 0; i < n; i++) {
                m[i] = boxed[i];
            }
            return;
        }
        for (int i = 1; i < n; i++) {
            int v = m[i];
            int j = i - 1;
            while (j >= 0 && (alignedFirst[m[j]] > alignedFirst[v] || alignedFirst[m[j]] == alignedFirst[v] && m[j] > v)) {
                m[j + 1] = m[j];
                j--;
            }
            m[j + 1] = v;
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
