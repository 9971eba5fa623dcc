package io.skbtrail.server.journeys;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The journeys of one session as of one pass over its events: every segment, the journeys ordered by when they
 * began on the common clock (then by id), and which journey each segment belongs to.
 */
final class JoinedSession {
    final long session;
    /** Events the pass covered (the session's count in the same snapshot). */
    final long events;
    final List<HostClock> hosts;
    final List<Segment> segments;
    final List<String> tokens;
    final Journey[] journeys;
    final int[] journeyOfSegment;
    final long windowNs;
    final long computedAtMillis;
    final long millis;
    /** How long each phase of the computation took, for the log. */
    String phases = "";
    /** Whether every journey's flow has been read ({@link FlowLoader#loadAll}). */
    volatile boolean flowsLoaded;
    private final Map<Long, Integer> hostIndex = new HashMap<>();
    private final LongIntMap segmentIndex;

    private JoinedSession(long session, SegmentScan.Scanned scanned, Journey[] journeys, long windowNs, long millis) {
        this.session = session;
        this.events = scanned.events();
        this.hosts = scanned.hosts();
        this.segments = scanned.segments();
        this.tokens = scanned.tokens();
        this.journeys = journeys;
        this.windowNs = windowNs;
        this.millis = millis;
        this.computedAtMillis = System.currentTimeMillis();
        for (int i = 0; i < hosts.size(); i++) {
            hostIndex.put(hosts.get(i).hostId(), i);
        }
        journeyOfSegment = new int[segments.size()];
        for (int j = 0; j < journeys.length; j++) {
            for (Segment s : journeys[j].lanes) {
                journeyOfSegment[s.index] = j;
            }
        }
        segmentIndex = new LongIntMap(segments.size());
        for (Segment s : segments) {
            if (s.generation == 0) {
                segmentIndex.put(segmentKey(s.host, s.packetId), s.index);
            }
        }
    }

    /** Reads the session's events and joins them. */
    static JoinedSession compute(DataSource dataSource, long session, long windowNs) throws SQLException {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        SegmentScan.Scanned scanned = SegmentScan.scan(dataSource, session);
        long scannedAt = System.nanoTime();
        long cpu1 = cpu.getCurrentThreadCpuTime();
        List<Segment> segs = scanned.segments();
        JourneyJoin join = new JourneyJoin(scanned.hosts(), segs, windowNs);
        join.run();
        long joinedAt = System.nanoTime();
        long cpu2 = cpu.getCurrentThreadCpuTime();
        // Segments grouped by their root: a counting sort, no list per journey.
        int n = segs.size();
        int[] root = new int[n];
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            root[i] = join.all.find(i);
            count[root[i] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(count, n);
        for (int i = 0; i < n; i++) {
            members[fill[root[i]]++] = i;
        }
        JourneyAssembly assembly = new JourneyAssembly(scanned.hosts(), segs);
        Journey[] byRoot = new Journey[n];
        List<Journey> journeys = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (count[r + 1] > count[r]) {
                Journey j = assembly.assemble(members, count[r], count[r + 1]);
                byRoot[r] = j;
                journeys.add(j);
            }
        }
        for (JourneyJoin.Link l : join.links) {
            byRoot[root[l.a()]].link(l);
        }
        for (JourneyJoin.Ambiguity a : join.ambiguities) {
            byRoot[root[a.segment()]].ambiguity(a);
        }
        Journey[] sorted = journeys.toArray(new Journey[0]);
        Arrays.sort(sorted, ORDER);
        long end = System.nanoTime();
        long cpu3 = cpu.getCurrentThreadCpuTime();
        JoinedSession joined = new JoinedSession(session, scanned, sorted, windowNs, (end - start) / 1_000_000);
        joined.phases = String.format(java.util.Locale.ROOT, "read %d ms (this thread's CPU %d ms), match %d ms (CPU %d ms),"
                + " assemble %d ms (CPU %d ms)", (scannedAt - start) / 1_000_000, (cpu1 - cpu0) / 1_000_000,
                (joinedAt - scannedAt) / 1_000_000, (cpu2 - cpu1) / 1_000_000, (end - joinedAt) / 1_000_000,
                (cpu3 - cpu2) / 1_000_000);
        return joined;
    }

    /** The list's order: first seen on the common clock, then host id, then packet id. */
    static final Comparator<Journey> ORDER = Comparator.<Journey>comparingLong(j -> j.firstNs)
            .thenComparingLong(j -> j.firstHostId)
            .thenComparingLong(j -> j.first().packetId).thenComparingInt(j -> j.first().generation);

    String hostName(Segment s) {
        return hosts.get(s.host).name();
    }

    long hostId(Segment s) {
        return hosts.get(s.host).hostId();
    }

    /** The host's index in {@link #hosts}, or -1 if it is not a host of the session. */
    int hostIndex(long hostId) {
        return hostIndex.getOrDefault(hostId, -1);
    }

    int hostIndexByName(String name) {
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The segment of this host, packet id and generation, or null. */
    Segment segment(int host, long packetId, int generation) {
        int i = segmentIndex.get(segmentKey(host, packetId), -1);
        Segment s = i < 0 ? null : segments.get(i);
        while (s != null && s.generation < generation) {
            s = s.next;
        }
        return s != null && s.generation == generation ? s : null;
    }

    /** The segment of this host and packet id that an event at {@code timeNs} belongs to, or null. */
    Segment segmentAt(int host, long packetId, long timeNs) {
        int i = segmentIndex.get(segmentKey(host, packetId), -1);
        for (Segment s = i < 0 ? null : segments.get(i); s != null; s = s.next) {
            if (s.holds(timeNs)) {
                return s;
            }
        }
        return null;
    }

    /** The journey that holds the segment a journey id names (its first lane, or any lane), or null. */
    Journey journey(long hostId, long packetId, int generation) {
        int host = hostIndex(hostId);
        Segment s = host < 0 ? null : segment(host, packetId, generation);
        return s == null ? null : journeys[journeyOfSegment[s.index]];
    }

    Journey journeyOf(Segment s) {
        return journeys[journeyOfSegment[s.index]];
    }

    /** Position of the first journey after (firstNs, hostId, packetId) in the list order. */
    int indexAfter(long firstNs, long hostId, long packetId) {
        int lo = 0;
        int hi = journeys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Journey j = journeys[mid];
            int c = Long.compare(j.firstNs, firstNs);
            if (c == 0) {
                c = Long.compare(j.firstHostId, hostId);
            }
            if (c == 0) {
                c = Long.compare(j.first().packetId, packetId);
            }
            if (c <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long segmentKey(int host, long packetId) {
        return ((long) host << 40) ^ packetId;
    }
}
