package io.skbtrail.server.live;

import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.events.StoredEvents;
import io.skbtrail.server.events.StoredEventsListener;
import jakarta.annotation.PreDestroy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Stored events, fanned out to live viewers. Ingest hands over each committed batch
 * ({@link #stored}: a queue append and a wake-up, nothing per event); one dispatcher thread numbers the events
 * per session in commit order, keeps the last {@link LiveSettings#bufferEvents()} of each session, and sends each
 * viewer what matched its filter: at once when the viewer's last frame is ~100 ms old or a full frame's worth is
 * there, else as soon as its last frame is that old (the thread sleeps until the first viewer is due, or the
 * next batch). An event's browser JSON is made once, when a viewer first needs it.
 */
@Service
public class LiveFeed implements StoredEventsListener {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** The dispatcher never sleeps less than this between rounds (unless a batch arrives). */
    private static final long MIN_SLEEP_NANOS = 1_000_000;

    /** Names this run of the server: a viewer's seqs are only meaningful within one stream. */
    final String stream = newStreamId();

    private final LiveSettings settings;
    private final HostService hosts;
    private final Map<Long, SessionFeed> feeds = new ConcurrentHashMap<>();
    private final Map<Long, String> hostNames = new ConcurrentHashMap<>();
    private final EventJson encoder = new EventJson();
    private final Thread dispatcher;
    private volatile boolean running = true;

    LiveFeed(LiveSettings settings, HostService hosts) {
        this.settings = settings;
        this.hosts = hosts;
        dispatcher = new Thread(this::dispatch, "live-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void stored(long hostId, long session, StoredEvents events) {
        feed(session).inbox.add(new SessionFeed.Arrival(hostId, events));
        // Each batch: a viewer whose last frame is old enough gets it now rather than at the next tick (which
        // cost ~50 ms on average); one wake-up per batch, not per event.
        LockSupport.unpark(dispatcher);
    }

    @Override
    public boolean wantsEvents(long session) {
        SessionFeed f = feeds.get(session);
        return f != null && f.watched(System.nanoTime());
    }

    SessionFeed feed(long session) {
        return feeds.computeIfAbsent(session, id -> new SessionFeed(id, settings.bufferEvents(), settings.holdUnwatchedNanos()));
    }

    SessionFeed existing(long session) {
        return feeds.get(session);
    }

    Collection<SessionFeed> feeds() {
        return feeds.values();
    }

    /** The last seq given to an event of this session, counting every batch stored so far; 0 if none. */
    long lastSeq(long session) {
        SessionFeed f = feeds.get(session);
        if (f == null) {
            return 0;
        }
        drain(f);
        return f.lastSeq();
    }

    /** Numbers what this session's inbox holds (the dispatcher does it too, every round). */
    void drain(SessionFeed f) {
        f.drain(this::hostName);
    }

    /** Forgets a session that was deleted. */
    void forget(long session) {
        SessionFeed f = feeds.remove(session);
        if (f != null) {
            f.release();
        }
    }

    /** Delivers soon, without waiting for the next tick (a new subscription, an end). */
    void wake() {
        LockSupport.unpark(dispatcher);
    }

    private void dispatch() {
        long wake = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (now < wake) {
                LockSupport.parkNanos(wake - now); // or until the next batch
                if (!running) {
                    return;
                }
            }
            now = System.nanoTime();
            wake = now + LiveSettings.FLUSH_NANOS;
            for (SessionFeed f : feeds.values()) {
                try {
                    wake = Math.min(wake, Math.max(now + MIN_SLEEP_NANOS, round(f, now)));
                } catch (RuntimeException e) {
                    log.error("live stream of session {}: delivery failed", f.session, e);
                }
            }
        }
    }

    /** Numbers and delivers what arrived; returns when this session next has a viewer due (nanoTime). */
    private long round(SessionFeed f, long now) {
        drain(f);
        String ended = f.endedState;
        synchronized (f) {
            long due = f.deliver(encoder, now, ended != null);
            if (ended == null) {
                return due;
            }
            // The session ended: each viewer gets its last events, the final status and end, then the socket
            // closes; the buffer goes once every viewer has had its end.
            boolean all = true;
            for (Viewer v : f.viewers) {
                if (v.endSent) {
                    continue;
                }
                if (v.filter != null && !f.caughtUp(v) && !v.isClosed()) {
                    all = false;
                    continue;
                }
                v.endSent = true;
                if (f.finalStatus != null) {
                    v.sendControl(LiveFrames.status(f.finalStatus, v.filter != null, v.cursor, v.dropped));
                }
                v.sendControl(LiveFrames.end(ended));
                v.closeWhenFlushed();
            }
            if (all) {
                f.release();
            }
            return due;
        }
    }

    private String hostName(long hostId) {
        return hostNames.computeIfAbsent(hostId, id -> hosts.byId(id).map(Host::getName).orElse(null));
    }

    @PreDestroy
    void stop() {
        running = false;
        LockSupport.unpark(dispatcher);
    }

    private static String newStreamId() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
