package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.protocol.Event;
import io.skbtrail.server.Http;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journey pages as the server renders them (the browser tier runs their scripts): they need a sign-in, say
 * where their data comes from, 404 for what does not exist, lead from one host's packet to its journey, and open
 * read-only through a share link until it is revoked.
 */
class JourneyPagesDbTest extends JourneyTestBase {
    private static final Instant T = Instant.parse("2026-11-25T14:00:00Z");


    /** One datagram a → b, dropped on b: a two-lane journey whose b lane starts at T + 20 µs. */
    private long oneJourney(Hosts hosts) {
        long session = hosts.session();
        List<Event> a = path(1, T).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(300, null, null, 5, 0x99L, 5)
                .steps("net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit").events();
        List<Event> b = path(7, T.plusNanos(20_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                .fp(300, null, null, 5, 0x99L, 5).steps("net:netif_receive_skb", "skb:kfree_skb!NO_SOCKET@__udp4_lib_rcv")
                .events();
        hosts.send("a", session, a);
        hosts.send("b", session, b);
        hosts.stop(session);
        return session;
    }

    @Test
    void theListAndAJourneyNeedASignInAndSayWhereTheirDataComesFrom() {
        long session = insertSession("stopped", "1 hour", "10 minutes");
        assertThat(anonymous().get("/sessions/" + session + "/journeys").status()).isEqualTo(302);
        assertThat(anonymous().get("/sessions/" + session + "/journeys/1-1").status()).isEqualTo(302);

        Http viewer = signedInBrowser("viewer");
        Http.Response list = viewer.get("/sessions/" + session + "/journeys?state=dropped");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(list.body()).contains("/js/journeys.js\"", "data-api=\"/api/sessions/" + session + "\"",
                "data-read-only=\"false\"", "href=\"/sessions/" + session + "\"", "Sign out");

        Http.Response one = viewer.get("/sessions/" + session + "/journeys/3-17.1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).contains("/js/journey-view.js\"", "data-journey=\"3-17.1\"",
                "href=\"/diff?left=" + session + ":3-17.1\"",
                "href=\"/api/sessions/" + session + "/journeys/3-17.1.ndjson\"",
                "href=\"/sessions/" + session + "/journeys\"");
        assertThat(one.body()).as("a viewer cannot share").doesNotContain("id=\"share\"");
        assertThat(signedInBrowser("operator").get("/sessions/" + session + "/journeys/3-17.1").body()).contains("id=\"share\"");
        // the session view links to its journeys
        assertThat(viewer.get("/sessions/" + session).body()).contains("href=\"/sessions/" + session + "/journeys\"");
    }

    @Test
    void anUnknownSessionOrAMalformedJourneyIdIsA404Page() {
        Http viewer = signedInBrowser("viewer");
        Http.Response missing = viewer.get("/sessions/987654321/journeys");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("Session 987654321 does not exist");
        assertThat(viewer.get("/sessions/987654321/journeys/1-1").status()).isEqualTo(404);

        long session = insertSession("stopped", "1 hour", "10 minutes");
        Http.Response malformed = viewer.get("/sessions/" + session + "/journeys/not-a-journey");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.body()).contains("is not a journey id");
    }

    @Test
    void aHostsPacketLeadsToTheJourneyHoldingIt() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = oneJourney(hosts);
            String id = journeys(session, "").get("journeys").get(0).get("id").asString();
            Http viewer = signedInBrowser("viewer");
            String base = "/sessions/" + session + "/journeys/find?host=" + hosts.name("b") + "&packet=7";

            Http.Response found = viewer.get(base + "&time=2026-11-25T14:00:00.000020Z");
            assertThat(found.status()).as(found.body()).isEqualTo(302);
            assertThat(found.headers().firstValue("Location").orElseThrow())
                    .endsWith("/sessions/" + session + "/journeys/" + id);
            assertThat(viewer.get(base).headers().firstValue("Location").orElseThrow()).as("without a time: generation 0")
                    .endsWith("/sessions/" + session + "/journeys/" + id);

            Http.Response unknown = viewer.get("/sessions/" + session + "/journeys/find?host=" + hosts.name("b")
                    + "&packet=8&time=2026-11-25T14:00:00.000020Z");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body()).contains("No journey holds packet 8 of host " + hosts.name("b"));
            Http.Response incomplete = viewer.get("/sessions/" + session + "/journeys/find?packet=7");
            assertThat(incomplete.status()).isEqualTo(404);
            assertThat(incomplete.body()).contains("give its host, packet id");
        }
    }

    @Test
    void aShareLinkOpensTheJourneyPagesReadOnlyWithoutLoginUntilRevoked() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = oneJourney(hosts);
            String id = journeys(session, "").get("journeys").get(0).get("id").asString();
            Http.Response created = admin().post("/api/sessions/" + session + "/share", null);
            assertThat(created.status()).isEqualTo(201);
            String token = created.json().get("token").asString();

            Http.Response list = anonymous().get("/s/" + token + "/journeys?state=dropped");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("Shared session, read-only", "data-read-only=\"true\"",
                    "data-api=\"/api/shared/" + token + "\"", "data-detail=\"/api/shared/" + token + "/session\"",
                    "href=\"/s/" + token + "\"");
            assertThat(list.body()).doesNotContain("Sign out", "/api/sessions/", "href=\"/sessions");

            Http.Response one = anonymous().get("/s/" + token + "/journeys/" + id);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body()).contains("href=\"/s/" + token + "/diff?left=" + session + ":" + id + "\"",
                    "href=\"/api/shared/" + token + "/journeys/" + id + ".ndjson\"");
            assertThat(one.body()).doesNotContain("/api/sessions/", "Sign out", "id=\"share\"");
            Http.Response found = anonymous().get("/s/" + token + "/journeys/find?host=" + hosts.name("b")
                    + "&packet=7&time=2026-11-25T14:00:00.000020Z");
            assertThat(found.status()).isEqualTo(302);
            assertThat(found.headers().firstValue("Location").orElseThrow()).endsWith("/s/" + token + "/journeys/" + id);
            assertThat(anonymous().get("/s/" + token).body()).contains("href=\"/s/" + token + "/journeys\"");

            assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
            for (String path : List.of("/journeys", "/journeys/" + id, "/journeys/find?host=" + hosts.name("b")
                    + "&packet=7")) {
                Http.Response revoked = anonymous().get("/s/" + token + path);
                assertThat(revoked.status()).as(path).isEqualTo(404);
                assertThat(revoked.body()).contains("This share link is unknown, revoked or expired")
                        .doesNotContain(token);
            }
            assertThat(anonymous().get("/s/skbs_made-up/journeys").status()).isEqualTo(404);
        }
    }
}
