package io.skbtrail.server.live;

import io.skbtrail.server.agents.Host;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.TraceSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * The server end of a live stream ({@code /api/sessions/{id}/live}, {@code /api/shared/{token}/live}): says
 * hello, takes subscriptions, and leaves the rest to the feed. Access was checked at the handshake
 * ({@link LiveHandshake}).
 */
@Component
class LiveHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(LiveHandler.class);
    static final String SESSION = "skbtrail.live.session";
    static final String SHARE_TOKEN = "skbtrail.live.shareToken";
    /** A stream with no progress either way for this long is closed (a viewer that stopped reading). */
    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofMinutes(2);

    private final LiveFeed feed;
    private final LiveStatus status;
    private final LiveSettings settings;
    private final SessionService sessions;
    private final HostService hosts;
    private final ObjectMapper json;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();

    LiveHandler(LiveFeed feed, LiveStatus status, LiveSettings settings, SessionService sessions, HostService hosts,
            ObjectMapper json) {
        this.feed = feed;
        this.status = status;
        this.settings = settings;
        this.sessions = sessions;
        this.hosts = hosts;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        long session = (Long) socket.getAttributes().get(SESSION);
        String token = (String) socket.getAttributes().get(SHARE_TOKEN);
        Session jetty = ((NativeWebSocketSession) socket).getNativeSession(Session.class);
        // Per socket: the container's own limits are the agent link's (large frames).
        jetty.setMaxTextMessageSize(Subscription.MAX_CHARS * 4L);
        jetty.setMaxBinaryMessageSize(1024);
        jetty.setIdleTimeout(IDLE_TIMEOUT);
        Viewer v = new Viewer(socket.getId(), session, token, jetty, settings.viewerQueueBytes(), feed::wake);
        viewers.put(socket.getId(), v);
        TraceSession s = sessions.get(session);
        long seq = feed.lastSeq(session);
        v.sendControl(LiveFrames.hello(session, feed.stream, seq, s.getState()));
        if (!s.isLive()) {
            // Stored, not live: its status, end, and the socket closes. The client shows the stored session.
            v.endSent = true;
            v.sendControl(LiveFrames.status(status.sessionPart(session), false, seq, 0));
            v.sendControl(LiveFrames.end(s.getState()));
            v.closeWhenFlushed();
            return;
        }
        feed.feed(session).viewers.add(v);
        log.debug("live viewer {} of session {} ({})", v.id, session, token == null ? socket.getPrincipal() : "share link");
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        Viewer v = viewers.get(socket.getId());
        if (v == null || v.endSent) {
            return;
        }
        Subscription sub;
        try {
            sub = Subscription.parse(message.getPayload(), json,
                    name -> hosts.byName(name).map(Host::getId).orElse(null));
        } catch (Subscription.Refused e) {
            v.sendControl(LiveFrames.error(e.field, e.getMessage())); // the previous filter stays
            return;
        }
        SessionFeed f = feed.feed(v.session);
        feed.drain(f); // "now" is after every event stored so far
        boolean otherRun = sub.stream() != null && !sub.stream().equals(feed.stream);
        f.subscribe(v, sub.filter(), sub.compact(), sub.after(), otherRun);
        feed.wake();
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        Viewer v = viewers.remove(socket.getId());
        if (v == null) {
            return;
        }
        v.close(status.getCode(), "closed");
        SessionFeed f = feed.existing(v.session);
        if (f != null) {
            f.viewerLeft(v);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable error) {
        log.debug("live viewer {}: transport error: {}", socket.getId(), error.toString());
    }
}
