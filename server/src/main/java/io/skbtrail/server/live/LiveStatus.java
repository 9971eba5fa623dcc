package io.skbtrail.server.live;

import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.SessionSummaries;
import io.skbtrail.server.sessions.SessionViews;
import io.skbtrail.server.sessions.TraceSession;
import io.skbtrail.server.sharing.ShareLinks;
import jakarta.annotation.PreDestroy;
import java.sql.Array;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Once a second, on a thread of its own: each watched session's status (from the summary's counters, never a
 * scan of events) to its viewers; sessions that ended are marked so the dispatcher sends their last events
 * and {@code end}; viewers whose share link was revoked or expired are closed.
 */
@Component
class LiveStatus {
    private static final Logger log = LoggerFactory.getLogger(LiveStatus.class);
    /** Rates are events per second over about this many of the last seconds. */
    private static final int RATE_SECONDS = 5;

    private final LiveFeed feed;
    private final SessionService sessions;
    private final SessionSummaries summaries;
    private final ShareLinks shareLinks;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    /** Per session, per host: recent (time, events) samples for the rate. */
    private final Map<Long, Map<String, ArrayDeque<long[]>>> samples = new ConcurrentHashMap<>();

    LiveStatus(LiveFeed feed, SessionService sessions, SessionSummaries summaries, ShareLinks shareLinks,
            JdbcTemplate jdbc, ObjectMapper json) {
        this.feed = feed;
        this.sessions = sessions;
        this.summaries = summaries;
        this.shareLinks = shareLinks;
        this.jdbc = jdbc;
        this.json = json;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-status");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            List<SessionFeed> feeds = new ArrayList<>(feed.feeds());
            if (feeds.isEmpty()) {
                return;
            }
            Map<Long, String> states = states(feeds);
            for (SessionFeed f : feeds) {
                try {
                    round(f, states.get(f.session));
                } catch (RuntimeException e) {
                    log.warn("live status of session {}: {}", f.session, e.toString());
                }
            }
        } catch (RuntimeException e) {
            log.error("live status round failed", e);
        }
    }

    private void round(SessionFeed f, String state) {
        if (state == null) {
            gone(f);
        } else if (!isLive(state)) {
            if (f.endedState == null) {
                f.finalStatus = f.viewers.isEmpty() ? null : sessionPart(f.session);
                f.endedState = state;
                samples.remove(f.session);
                feed.wake();
            }
        } else if (!f.viewers.isEmpty()) {
            String part = sessionPart(f.session);
            synchronized (f) {
                for (Viewer v : f.viewers) {
                    if (!v.endSent) {
                        v.sendControl(LiveFrames.status(part, v.filter != null, v.cursor, v.dropped));
                    }
                }
            }
        }
        checkShareLinks(f);
    }

    /** The session was deleted: its viewers get {@code end} and the feed goes. */
    private void gone(SessionFeed f) {
        if (f.endedState == null) {
            f.endedState = "deleted";
            feed.wake();
        } else if (f.viewers.stream().allMatch(v -> v.endSent)) {
            feed.forget(f.session);
            samples.remove(f.session);
        }
    }

    private void checkShareLinks(SessionFeed f) {
        Map<String, Boolean> valid = new HashMap<>();
        for (Viewer v : f.viewers) {
            if (v.shareToken == null || v.isClosed()) {
                continue;
            }
            boolean ok = valid.computeIfAbsent(v.shareToken, token -> {
                Optional<Long> session = shareLinks.resolve(token);
                return session.isPresent() && session.get() == f.session;
            });
            if (!ok) {
                log.info("live viewer {} of session {}: share link revoked or expired; closing", v.id, f.session);
                v.close(1008, "share link revoked or expired");
            }
        }
    }

    static boolean isLive(String state) {
        return state.equals(TraceSession.PENDING) || state.equals(TraceSession.RUNNING)
                || state.equals(TraceSession.STOPPING);
    }

    private Map<Long, String> states(List<SessionFeed> feeds) {
        Long[] ids = feeds.stream().map(f -> f.session).toArray(Long[]::new);
        Map<Long, String> states = new HashMap<>();
        jdbc.query(con -> {
            var s = con.prepareStatement("select id, state from sessions where id = any(?)");
            Array array = con.createArrayOf("bigint", ids);
            s.setArray(1, array);
            return s;
        }, r -> {
            states.put(r.getLong(1), r.getString(2));
        });
        return states;
    }

    /**
     * The session's part of a status frame, without its closing brace: state, totals, drops by reason, loss,
     * and per host its state, counters, rate (events/s over the last seconds), loss per hop and gaps.
     */
    String sessionPart(long session) {
        SessionViews.Summary s = summaries.of(sessions.get(session));
        Map<String, ArrayDeque<long[]>> perHost = samples.computeIfAbsent(session, k -> new ConcurrentHashMap<>());
        long now = System.nanoTime();
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (SessionViews.HostSummary h : s.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", h.host());
            m.put("state", h.state());
            m.put("reason", h.reason());
            m.put("endReason", h.endReason());
            m.put("events", h.events());
            m.put("drops", h.drops());
            m.put("rate", rate(perHost.computeIfAbsent(h.host(), k -> new ArrayDeque<>()), now, h.events()));
            m.put("dropsByReason", h.dropsByReason());
            m.put("loss", h.lost());
            m.put("gaps", h.gaps());
            m.put("firstEvent", h.firstEvent());
            m.put("lastEvent", h.lastEvent());
            m.put("clockOffsetNs", h.clockOffsetNs());
            m.put("clockUncertaintyNs", h.clockUncertaintyNs());
            hosts.add(m);
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "status");
        frame.put("session", session);
        frame.put("state", s.state());
        frame.put("events", s.events());
        frame.put("drops", s.drops());
        frame.put("dropsByReason", s.dropsByReason());
        frame.put("lost", s.lost());
        frame.put("hosts", hosts);
        String text = json.writeValueAsString(frame);
        return text.substring(0, text.length() - 1);
    }

    /** Events per second between the oldest sample of the last {@value #RATE_SECONDS} s and now. */
    private static double rate(ArrayDeque<long[]> samples, long now, long events) {
        synchronized (samples) {
            samples.addLast(new long[] {now, events});
            while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_SECONDS * 1_000_000_000L) {
                samples.pollFirst();
            }
            long[] oldest = samples.peekFirst();
            double seconds = (now - oldest[0]) / 1e9;
            if (seconds < 0.5) {
                return 0.0;
            }
            return Math.round((events - oldest[1]) / seconds * 10) / 10.0;
        }
    }
}
