package io.skbtrail.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The diff page as the server renders it (the browser tier runs its script): any signed-in role may compare, the
 * navigation and the session page lead to it, and through a share link it compares within that session only,
 * read-only, until the link is revoked.
 */
class DiffPagesTest extends ServerIntegrationTest {


    @Test
    void aViewerComparesFromTheNavigationAndTheSessionPage() {
        Http.Response anonymousPage = anonymous().get("/diff?left=1&right=2");
        assertThat(anonymousPage.status()).isEqualTo(302);
        assertThat(anonymousPage.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        Http viewer = signedInBrowser("viewer");
        Http.Response page = viewer.get("/diff?left=12:3-17");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(page.body()).contains("data-diff=\"/api/diff\"", "data-sessions=\"/api/sessions\"",
                "data-page=\"/diff\"", "/js/diff.js\"", "aria-current=\"page\">Compare</a>", "Sign out")
                .doesNotContain("data-only-session", "/api/shared/");
        assertThat(viewer.get("/").body()).contains("href=\"/diff\"");

        long session = insertSession("stopped", "1 hour", "10 minutes");
        String view = viewer.get("/sessions/" + session).body();
        assertThat(view).contains("href=\"/diff?left=" + session + "\"", "data-compare=\"/diff\"", "id=\"path-compare\"");
    }

    @Test
    void aShareLinksDiffPageComparesWithinItsSessionWithoutLoginUntilRevoked() {
        long session = insertSession("stopped", "1 hour", "10 minutes");
        String token = admin().post("/api/sessions/" + session + "/share", null).json().get("token").asString();

        Http.Response shared = anonymous().get("/s/" + token + "/diff?left=" + session + "@node-a");
        assertThat(shared.status()).isEqualTo(200);
        assertThat(shared.body()).contains("Shared session, read-only", "data-diff=\"/api/shared/" + token + "/diff\"",
                "data-session=\"/api/shared/" + token + "/session\"", "data-only-session=\"" + session + "\"",
                "data-session-page=\"/s/" + token + "\"")
                .doesNotContain("Sign out", "/api/sessions", "href=\"/diff\"");
        String sessionView = anonymous().get("/s/" + token).body();
        assertThat(sessionView).contains("href=\"/s/" + token + "/diff?left=" + session + "\"",
                "data-compare=\"/s/" + token + "/diff\"");

        assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
        Http.Response revoked = anonymous().get("/s/" + token + "/diff?left=" + session);
        assertThat(revoked.status()).isEqualTo(404);
        assertThat(revoked.body()).contains("This share link is unknown, revoked or expired").doesNotContain(token);
        assertThat(anonymous().get("/s/skbs_made-up/diff").status()).isEqualTo(404);
    }
}
