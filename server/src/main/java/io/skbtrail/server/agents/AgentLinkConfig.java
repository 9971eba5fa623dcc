package io.skbtrail.server.agents;

import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

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
     * The container's text buffer: frames reach the handler in parts of at most this many characters.
     * Tomcat allocates this buffer for every open WebSocket, and with a buffer as large as a whole frame it
     * refused frames over it with a misleading 1007 (invalid UTF-8) instead of 1009.
     */
    static final int TEXT_PART_CHARS = 64 * 1024;

    private final AgentLinkHandler handler;
    private final AgentTokens tokens;

    AgentLinkConfig(AgentLinkHandler handler, AgentTokens tokens) {
        this.handler = handler;
        this.tokens = tokens;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/api/agent/link").addInterceptors(new TokenCheck()).setAllowedOrigins("*");
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(TEXT_PART_CHARS);
        container.setMaxBinaryMessageBufferSize(64 * 1024);
        container.setMaxSessionIdleTimeout(120_000L);
        return container;
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
            attributes.put(AgentLinkHandler.TOKEN_ID, token.get().getId());
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Exception exception) {}
    }
}
