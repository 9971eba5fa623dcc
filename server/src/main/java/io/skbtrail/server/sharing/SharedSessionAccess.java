package io.skbtrail.server.sharing;

import io.skbtrail.server.api.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * For the read-only routes under {@code /api/shared/{token}/...}: the token in the path stands for a login.
 * <pre>
 *   &#64;GetMapping("/api/shared/{token}/events")
 *   Page events(&#64;PathVariable String token, ...) {
 *       long sessionId = sharedSessionAccess.sessionId(token);   // 404 problem if unknown, revoked or expired
 *       return eventQueries.page(sessionId, ...);
 *   }
 * </pre>
 * Only reads may be routed this way; the security config lets anyone reach /api/shared/** without login.
 */
@Component
public class SharedSessionAccess {
    static final String UNKNOWN = "share link unknown, revoked or expired";

    private final ShareLinks links;

    SharedSessionAccess(ShareLinks links) {
        this.links = links;
    }

    /** @throws ApiProblem 404 "share link unknown, revoked or expired" */
    public long sessionId(String token) {
        return links.resolve(token).orElseThrow(() -> ApiProblem.of(HttpStatus.NOT_FOUND, UNKNOWN));
    }
}
