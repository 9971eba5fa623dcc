package io.skbtrail.server.live;

import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.events.StoredEventsListener;
import jakarta.annotation.PreDestroy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Stored events, fanned out to live viewers. Ingest hands over each committed batch
 * ({@link #stored}: a queue append, nothing per event); one dispatcher thread numbers the events per session
 * in commit order, keeps the last {@link LiveSettings#bufferEvents()} of each session, and every ~100 ms (or
 * as soon as a full frame's worth has arrived) sends each viewer what matched its filter. An event's browser
 * JSON is made once, when a viewer first needs it.
 */
@Service
public class LiveFeed implements StoredEventsListener {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** Names this run of the server: a viewer's seqs are only meaningful within one stream. */
    final String stream = newStreamId();

    private final LiveSettings settings;
    private final HostService hosts;
    private final Map<Long, SessionFeed> feeds = new ConcurrentHashMap<>();
    private final Map<Long, String> hostNames = new ConcurrentHashMap<>();
    private final AtomicLong waiting = new AtomicLong();
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
    public void stored(long hostId, EventBatch batch, int events) {
        feed(batch.session()).inbox.add(new SessionFeed.Arrival(hostId, batch));
        if (waiting.addAndGet(events) >= LiveSettings.FRAME_EVENTS) {
            LockSupport.unpark(dispatcher);
        }
    }

    SessionFeed feed(long session) {
        return feeds.computeIfAbsent(session, id -> new SessionFeed(id, settings.bufferEvents()));
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
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (now < next && waiting.get() < LiveSettings.FRAME_EVENTS) {
                LockSupport.parkNanos(next - now);
                if (!running) {
                    return;
                }
            }
            now = System.nanoTime();
            if (now >= next) {
                next = now + LiveSettings.FLUSH_NANOS;
            }
            waiting.set(0);
            for (SessionFeed f : feeds.values()) {
                try {
                    round(f, now);
                } catch (RuntimeException e) {
                    log.error("live stream of session {}: delivery failed", f.session, e);
                }
            }
        }
    }

    private void round(SessionFeed f, long now) {
        drain(f);
        String ended = f.endedState;
        synchronized (f) {
            f.deliver(encoder, now, ended != null);
            if (ended == null) {
                return;
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
