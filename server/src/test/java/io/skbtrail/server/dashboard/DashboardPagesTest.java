package io.skbtrail.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages as the server renders them (the browser tier runs their scripts): each role gets only
 * the controls it may use, share links open the session view read-only until revoked, and every page is sent
 * with the Content-Security-Policy that keeps foreign script out.
 */
class DashboardPagesTest extends ServerIntegrationTest {


    @Test
    void pagesNeedASignInAndCarryTheContentSecurityPolicy() {
        Http.Response page = anonymous().get("/sessions");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        Http.Response hosts = signedInBrowser("viewer").get("/");
        assertThat(hosts.status()).isEqualTo(200);
        assertThat(hosts.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe");
        // the dashboard's own files and libraries, also for share links (no login)
        assertThat(anonymous().get("/js/session-view.js").status()).isEqualTo(200);
        assertThat(anonymous().get("/webjars/uplot/dist/uPlot.esm.js").status()).isEqualTo(200);
    }

    @Test
    void scriptsAndStylesheetsComeFromAPathNamedByTheirContentThatBrowsersKeep() {
        String page = anonymous().get("/login").body();
        java.util.regex.Matcher css = java.util.regex.Pattern.compile("href=\"(/assets/([0-9a-f]{12})/css/app\\.css)\"")
                .matcher(page);
        assertThat(css.find()).as("the stylesheet under /assets/<hash>/ in " + page).isTrue();
        String prefix = "/assets/" + css.group(2);
        assertThat(prefix).isEqualTo("/assets/" + StaticAssets.contentHash());
        String session = signedInBrowser("viewer").get("/sessions/" + insertSession("stopped", "1 hour", "10 minutes")).body();
        assertThat(session).contains("src=\"" + prefix + "/js/session-view.js\"", "data-state=\"stopped\"");

        // a module and the ones it imports (relative paths: the same prefix), kept for a year without asking again
        for (String file : java.util.List.of("/js/session-view.js", "/js/virtual-list.js", "/css/app.css")) {
            Http.Response asset = anonymous().get(prefix + file);
            assertThat(asset.status()).as(file).isEqualTo(200);
            assertThat(asset.body()).isEqualTo(anonymous().get(file).body());
            assertThat(asset.headers().firstValue("Cache-Control").orElseThrow())
                    .contains("max-age=31536000", "immutable", "private");
        }
        // another content hash names other files: nothing is served under it
        assertThat(anonymous().get("/assets/000000000000/js/session-view.js").status()).isEqualTo(404);
        // the plain paths stay, not kept
        assertThat(anonymous().get("/js/session-view.js").headers().firstValue("Cache-Control").orElse(""))
                .doesNotContain("max-age=31536000");
    }

    @Test
    void aViewerSeesNoControlsToStartStopOrShare() {
        long session = insertSession("running", "1 minute", null);
        Http viewer = signedInBrowser("viewer");
        assertThat(viewer.get("/").body()).doesNotContain("New trace", "Trace on the selected hosts");
        assertThat(viewer.get("/sessions/new").status()).isEqualTo(403);
        String view = viewer.get("/sessions/" + session).body();
        assertThat(view).contains("data-can-stop=\"false\"", "data-can-share=\"false\"", "data-read-only=\"false\"");

        Http operator = signedInBrowser("operator");
        assertThat(operator.get("/").body()).contains("New trace", "Trace on the selected hosts");
        assertThat(operator.get("/sessions/new").status()).isEqualTo(200);
        assertThat(operator.get("/sessions/" + session).body()).contains("data-can-stop=\"true\"", "data-can-share=\"true\"");
        assertThat(operator.get("/sessions").body()).contains("data-is-admin=\"false\"");
        assertThat(signedInBrowser("admin").get("/sessions").body()).contains("data-is-admin=\"true\"");
    }

    @Test
    void anUnknownSessionIsA404Page() {
        Http.Response missing = signedInBrowser("viewer").get("/sessions/987654321");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("Session 987654321 does not exist");
    }

    @Test
    void aShareLinkOpensTheSessionViewReadOnlyWithoutLoginUntilRevoked() {
        long session = insertSession("stopped", "1 hour", "10 minutes");
        Http.Response created = admin().post("/api/sessions/" + session + "/share", null);
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asString();

        Http.Response shared = anonymous().get("/s/" + token + "?dropReason=*");
        assertThat(shared.status()).isEqualTo(200);
        assertThat(shared.body()).contains("Shared session, read-only", "data-read-only=\"true\"",
                "data-events=\"/api/shared/" + token + "/events\"", "data-live=\"/api/shared/" + token + "/live\"");
        assertThat(shared.body()).doesNotContain("Sign out", "id=\"stop\"", "id=\"share\"", "/api/sessions/");

        assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
        Http.Response revoked = anonymous().get("/s/" + token);
        assertThat(revoked.status()).isEqualTo(404);
        assertThat(revoked.body()).contains("This share link is unknown, revoked or expired").doesNotContain(token);
        assertThat(anonymous().get("/s/skbs_made-up").status()).isEqualTo(404);
    }
}
