package io.skbtrail.server.live;

import io.skbtrail.server.security.SameOriginHandshakeInterceptor;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sharing.SharedSessionAccess;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import tools.jackson.databind.ObjectMapper;

/** The live stream's two WebSocket endpoints: signed-in viewers, and share links. */
@Configuration
class LiveConfig implements WebSocketConfigurer {
    private final LiveHandler handler;
    private final SameOriginHandshakeInterceptor sameOrigin;
    private final SessionService sessions;
    private final SharedSessionAccess shareAccess;
    private final ObjectMapper json;

    LiveConfig(LiveHandler handler, SameOriginHandshakeInterceptor sameOrigin, SessionService sessions,
            SharedSessionAccess shareAccess, ObjectMapper json) {
        this.handler = handler;
        this.sameOrigin = sameOrigin;
        this.sessions = sessions;
        this.shareAccess = shareAccess;
        this.json = json;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // No upgrade strategy of its own: Jetty's WebSocket settings are the container's, shared with the agent
        // link (AgentLinkConfig); this stream's own limits are set on each socket (LiveHandler).
        // Origins are checked by LiveHandshake (same origin for the cookie route), not by Spring's list.
        registry.addHandler(handler, "/api/sessions/*/live").addInterceptors(LiveHandshake.forSessions(sameOrigin, sessions, json)).setAllowedOrigins("*");
        registry.addHandler(handler, "/api/shared/*/live").addInterceptors(LiveHandshake.forShareLinks(sessions, shareAccess, json)).setAllowedOrigins("*");
    }
}
