package io.skbtrail.server.live;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.api.ProblemResponses;
import io.skbtrail.server.security.SameOriginHandshakeInterceptor;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sharing.SharedSessionAccess;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.ObjectMapper;

/**
 * Who may open a live stream, decided before the WebSocket opens (refusals are HTTP problem+json answers).
 *
 * <ul>
 *   <li>{@code /api/sessions/{id}/live}: the security filter has already required a signed-in viewer (the
 *       browser's session cookie, or HTTP Basic); here the page must be of this server's origin
 *       ({@link SameOriginHandshakeInterceptor}: a page of another site would ride on the cookie), else 403.
 *       A client that sends its own {@code Authorization} header and no {@code Origin} is a script, not a
 *       page, and needs no origin. An unknown session is 404.</li>
 *   <li>{@code /api/shared/{token}/live}: no login; the token must name a link that is neither revoked nor
 *       expired, else 404 (as for the other share routes). No cookie is involved, so no origin check.</li>
 * </ul>
 */
final class LiveHandshake implements HandshakeInterceptor {
    private final boolean shared;
    private final SameOriginHandshakeInterceptor sameOrigin;
    private final SessionService sessions;
    private final SharedSessionAccess shareAccess;
    private final ObjectMapper json;

    private LiveHandshake(boolean shared, SameOriginHandshakeInterceptor sameOrigin, SessionService sessions,
            SharedSessionAccess shareAccess, ObjectMapper json) {
        this.shared = shared;
        this.sameOrigin = sameOrigin;
        this.sessions = sessions;
        this.shareAccess = shareAccess;
        this.json = json;
    }

    static LiveHandshake forSessions(SameOriginHandshakeInterceptor sameOrigin, SessionService sessions,
            ObjectMapper json) {
        return new LiveHandshake(false, sameOrigin, sessions, null, json);
    }

    static LiveHandshake forShareLinks(SessionService sessions, SharedSessionAccess access, ObjectMapper json) {
        return new LiveHandshake(true, null, sessions, access, json);
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws IOException {
        // /api/sessions/{id}/live or /api/shared/{token}/live
        String[] parts = request.getURI().getRawPath().split("/");
        String key = parts.length == 5 ? parts[3] : "";
        try {
            long session;
            if (shared) {
                session = shareAccess.sessionId(key);
                attributes.put(LiveHandler.SHARE_TOKEN, key);
            } else {
                if (!isScript(request) && !sameOrigin.allows(request)) {
                    throw ApiProblem.forbidden("live streams open only from pages of this server (origin "
                            + request.getHeaders().getOrigin() + " is not allowed; see skbtrail.allowed-origins)");
                }
                try {
                    session = Long.parseLong(key);
                } catch (NumberFormatException e) {
                    throw ApiProblem.notFound("session " + key);
                }
            }
            sessions.get(session); // 404 if it does not exist
            attributes.put(LiveHandler.SESSION, session);
            return true;
        } catch (ApiProblem p) {
            response.setStatusCode(p.status());
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(json.writeValueAsBytes(ProblemResponses.problem(p.status(), p.detail(), null)));
            return false;
        }
    }

    /** A client with its own credentials and no Origin: browsers always send an Origin on WebSockets. */
    private static boolean isScript(ServerHttpRequest request) {
        return request.getHeaders().getOrigin() == null && request.getHeaders().getFirst("Authorization") != null;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {}

}
