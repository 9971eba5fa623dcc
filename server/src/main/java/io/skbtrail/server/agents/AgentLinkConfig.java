package io.skbtrail.server.agents;

import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Agents connect to {@code /api/agent/link} with {@code Authorization: Bearer <agent token>}; a missing,
 * unknown or revoked token is refused with 401 before the WebSocket opens. Agents are not browsers, so no
 * origin check applies here.
 */
@Configuration
@EnableWebSocket
public class AgentLinkConfig implements WebSocketConfigurer {
    private static final Logger log = LoggerFactory.getLogger(AgentLinkConfig.class);

    /**
     * Largest frame accepted: a batch of up to 65,536 records; larger frames close the link (1009). The
     * handler assembles frames itself from partial messages and enforces this (counted in characters).
     */
    public static final int MAX_FRAME_BYTES = 32 << 20;

    /**
     * The container's limit on one text message. Jetty delivers a message in parts (as the frames arrive)
     * and counts the parts against this limit; it is set above the handler's own limit so that the
     * handler, which assembles the parts, is the one that refuses an oversized frame (1009, with the
     * limit in the reason). Jetty grows its buffers as data comes; it does not allocate the limit up front.
     */
    static final int CONTAINER_MESSAGE_LIMIT = MAX_FRAME_BYTES + (1 << 20);

    private final AgentLinkHandler handler;
    private final AgentTokens tokens;

    AgentLinkConfig(AgentLinkHandler handler, AgentTokens tokens) {
        this.handler = handler;
        this.tokens = tokens;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Jetty's own upgrade (Spring's choice on Jetty) takes its limits from this configurer.
        JettyRequestUpgradeStrategy jetty = new JettyRequestUpgradeStrategy();
        jetty.addWebSocketConfigurer(c -> {
            c.setMaxTextMessageSize(CONTAINER_MESSAGE_LIMIT);
            c.setMaxBinaryMessageSize(CONTAINER_MESSAGE_LIMIT);
            c.setIdleTimeout(java.time.Duration.ofMinutes(2));
        });
        registry.addHandler(handler, "/api/agent/link").setHandshakeHandler(new DefaultHandshakeHandler(jetty))
                .addInterceptors(new TokenCheck()).setAllowedOrigins("*");
    }

    private final class TokenCheck implements HandshakeInterceptor {
        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Map<String, Object> attributes) {
            String header = request.getHeaders().getFirst("Authorization");
            Optional<AgentToken> token = Optional.empty();
            if (header != null && header.startsWith("Bearer ")) {
                token = tokens.authenticate(header.substring(7).trim());
            }
            if (token.isEmpty()) {
                log.warn("agent link from {} refused: {}", request.getRemoteAddress(),
                        header == null ? "no Authorization header" : "unknown or revoked agent token");
                response.setStatusCode(HttpStatus.UNAUTHORIZED);
                return false;
            }
            attributes.put(AgentLinkHandler.TOKEN, token.get());
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Exception exception) {}
    }
}
