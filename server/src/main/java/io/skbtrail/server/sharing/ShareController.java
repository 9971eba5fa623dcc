package io.skbtrail.server.sharing;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Share links API (operator): {@code POST /api/sessions/{id}/share} makes a link, {@code DELETE
 * /api/share/{token}} revokes it. The link's page is {@code <base>/s/<token>}; base is
 * {@code skbtrail.public-url} if set, else the URL this request came in on.
 */
@RestController
class ShareController {
    static final long MAX_EXPIRY_SECONDS = 366L * 24 * 3600;

    record ShareRequest(@Positive @Max(value = MAX_EXPIRY_SECONDS, message = "at most 366 days") Long expiresInSeconds) {}

    record ShareCreated(String token, String url, long sessionId, Instant expiresAt) {}

    private final ShareLinks links;
    private final String publicUrl;

    ShareController(ShareLinks links, @Value("${skbtrail.public-url:}") String publicUrl) {
        this.links = links;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    @PostMapping("/api/sessions/{id}/share")
    ResponseEntity<ShareCreated> share(@PathVariable long id, @Valid @RequestBody(required = false) ShareRequest body) {
        Instant expiresAt = body == null || body.expiresInSeconds() == null ? null
                : Instant.now().plusSeconds(body.expiresInSeconds());
        ShareLinks.Created created = links.create(id, expiresAt, CurrentUser.name());
        String base = publicUrl.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString() : publicUrl;
        String url = base + "/s/" + created.secret();
        return ResponseEntity.created(URI.create(url))
                .body(new ShareCreated(created.secret(), url, id, created.link().getExpiresAt()));
    }

    @DeleteMapping("/api/share/{token}")
    ResponseEntity<Void> revoke(@PathVariable String token) {
        if (!links.revoke(token, CurrentUser.name())) {
            throw ApiProblem.of(org.springframework.http.HttpStatus.NOT_FOUND, SharedSessionAccess.UNKNOWN);
        }
        return ResponseEntity.noContent().build();
    }
}
