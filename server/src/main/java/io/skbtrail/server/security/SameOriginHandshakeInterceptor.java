package io.skbtrail.server.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses browser WebSocket handshakes from pages of other sites (cross-site WebSocket hijacking: the
 * browser sends the session cookie with any page's WebSocket). Accepted: an {@code Origin} equal to the
 * server's own origin as the request reached it (scheme, host and port; behind a proxy set
 * {@code server.forward-headers-strategy=framework} so the proxy's {@code X-Forwarded-*} headers count), or
 * one listed in {@code skbtrail.allowed-origins} (comma-separated, e.g. {@code https://skbtrail.example.com}).
 * A handshake without {@code Origin} is refused: the endpoints this guards are for browsers only.
 *
 * <p>Use it on the dashboard's live view:
 * {@code registry.addHandler(liveView, "/api/sessions/{id}/live").addInterceptors(sameOriginInterceptor)}
 * (not on {@code /api/agent/link}, whose clients are agents with tokens, not browsers).
 */
@Component
public class SameOriginHandshakeInterceptor implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(SameOriginHandshakeInterceptor.class);

    private final Set<String> allowedOrigins;

    public SameOriginHandshakeInterceptor(@Value("${skbtrail.allowed-origins:}") List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(SameOriginHandshakeInterceptor::normalize).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (allows(request)) {
            return true;
        }
        log.info("refused a WebSocket handshake on {} from origin {}", request.getURI().getPath(),
                request.getHeaders().getOrigin());
        response.setStatusCode(HttpStatus.FORBIDDEN);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {}

    public boolean allows(ServerHttpRequest request) {
        String origin = request.getHeaders().getOrigin();
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return false;
        }
        String normalized = normalize(origin);
        return normalized.equals(normalize(request.getURI().toString())) || allowedOrigins.contains(normalized);
    }

    /** {@code scheme://host[:port]}, lower case, without the scheme's default port; "" if unparsable. */
    static String normalize(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (port == 80 && (scheme.equals("http") || scheme.equals("ws")))
                    || (port == 443 && (scheme.equals("https") || scheme.equals("wss")));
            // A page at https://host opens wss://host: compare the HTTP schemes.
            scheme = scheme.equals("ws") ? "http" : scheme.equals("wss") ? "https" : scheme;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
