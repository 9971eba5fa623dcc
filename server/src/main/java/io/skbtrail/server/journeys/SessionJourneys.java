package io.skbtrail.server.journeys;

import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.TraceSession;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The journeys of a session, computed at query time and kept in memory.
 *
 * <p>Ingest only adds the join keys to each event's row (no lookup, no extra index, no per-packet upsert), so
 * it stays one COPY. The join itself is one sequential pass over the session's partition plus an in-memory
 * match (about a second per million events), done when the session's journeys are first asked for and again
 * when the session has stored more events since. The result is kept per session, least recently used first
 * out beyond {@code skbtrail.journeys.cache-events} events. A live session's join is reused for
 * {@code skbtrail.journeys.live-refresh-ms} before it is computed again, so a dashboard polling a busy session
 * does not keep the server joining; answers say how many of the session's events they cover.
 */
@Service
public class SessionJourneys {
    private static final Logger log = LoggerFactory.getLogger(SessionJourneys.class);

    private final DataSource dataSource;
    private final SessionService sessions;
    private final long windowNs;
    private final long cacheEvents;
    private final long liveRefreshMs;
    private final LinkedHashMap<Long, JoinedSession> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Long, Object> computing = new ConcurrentHashMap<>();

    SessionJourneys(DataSource dataSource, SessionService sessions,
            @Value("${skbtrail.journeys.window-ms:250}") long windowMs,
            @Value("${skbtrail.journeys.cache-events:5000000}") long cacheEvents,
            @Value("${skbtrail.journeys.live-refresh-ms:5000}") long liveRefreshMs) {
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.windowNs = windowMs * 1_000_000L;
        this.cacheEvents = cacheEvents;
        this.liveRefreshMs = liveRefreshMs;
    }

    /** A joined session and whether it covers every event the session holds. */
    record View(JoinedSession joined, long sessionEvents, boolean live) {
        boolean complete() {
            return !live && joined.events >= sessionEvents;
        }
    }

    /** The session's journeys. @throws io.skbtrail.server.api.ApiProblem 404 for an unknown session */
    View of(long sessionId) {
        TraceSession session = sessions.get(sessionId);
        long count = session.getEventCount();
        boolean live = session.isLive();
        JoinedSession current = cached(sessionId);
        if (fresh(current, count, live)) {
            return new View(current, count, live);
        }
        synchronized (computing.computeIfAbsent(sessionId, k -> new Object())) {
            current = cached(sessionId);
            if (fresh(current, count, live)) {
                return new View(current, count, live);
            }
            try {
                // The outdated join is let go first: two joins of a large session need not fit in memory at once.
                forget(sessionId);
                JoinedSession joined = JoinedSession.compute(dataSource, sessionId, windowNs);
                log.info("session {}: {} events joined into {} journeys in {} ms ({})", sessionId, joined.events,
                        joined.journeys.length, joined.millis, joined.phases);
                put(joined);
                return new View(joined, Math.max(count, joined.events), live);
            } catch (SQLException e) {
                throw new IllegalStateException("joining session " + sessionId + ": " + e.getMessage(), e);
            } finally {
                computing.remove(sessionId);
            }
        }
    }

    private boolean fresh(JoinedSession joined, long count, boolean live) {
        if (joined == null) {
            return false;
        }
        return joined.events >= count || live && System.currentTimeMillis() - joined.computedAtMillis < liveRefreshMs;
    }

    private synchronized JoinedSession cached(long session) {
        return cache.get(session);
    }

    private synchronized void put(JoinedSession joined) {
        cache.put(joined.session, joined);
        long total = 0;
        for (JoinedSession j : cache.values()) {
            total += j.events;
        }
        Iterator<Map.Entry<Long, JoinedSession>> oldest = cache.entrySet().iterator();
        while (total > cacheEvents && oldest.hasNext()) {
            Map.Entry<Long, JoinedSession> e = oldest.next();
            if (e.getKey() != joined.session) {
                total -= e.getValue().events;
                oldest.remove();
            }
        }
    }

    /** Forgets a session's journeys (it was deleted). */
    public synchronized void forget(long session) {
        cache.remove(session);
    }
}
