package io.skbtrail.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import io.skbtrail.server.api.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Share links: made by an operator, resolved to their session while valid, and dead once expired or revoked. */
class ShareLinksTest extends ServerIntegrationTest {
    @Autowired
    ShareLinks links;
    @Autowired
    SharedSessionAccess access;

    @Test
    void operatorSharesASessionAndRevokesTheLink() {
        long session = insertSession("stopped", "1 hour", "10 minutes");
        Http operator = newUser("operator");
        Http.Response created = operator.post("/api/sessions/" + session + "/share", null);
        assertThat(created.status()).isEqualTo(201);
        JsonNode link = created.json();
        String token = link.get("token").asString();
        assertThat(link.get("url").asString()).isEqualTo("http://localhost:" + port + "/s/" + token);
        assertThat(link.get("expiresAt").isNull()).isTrue();
        assertThat(link.get("sessionId").asLong()).isEqualTo(session);

        assertThat(links.resolve(token)).contains(session);
        assertThat(access.sessionId(token)).isEqualTo(session);
        assertThat(jdbc.queryForObject("select count(*) from share_links where token_hash = ?", Long.class, token))
                .as("the token itself is not stored").isZero();

        assertThat(operator.delete("/api/share/" + token).status()).isEqualTo(204);
        assertThat(links.resolve(token)).isEmpty();
        assertThatThrownBy(() -> access.sessionId(token)).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.status().value()).isEqualTo(404);
            assertThat(p.detail()).isEqualTo("share link unknown, revoked or expired");
        });
        assertThat(audited("share.create", "session/" + session)).isTrue();
        assertThat(audited("share.revoke", "session/" + session)).isTrue();
    }

    @Test
    void linkStopsWorkingWhenItExpires() throws InterruptedException {
        long session = insertSession("running", "1 minute", null);
        Http.Response created = admin().post("/api/sessions/" + session + "/share", "{\"expiresInSeconds\":1}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("expiresAt").isNull()).isFalse();
        String token = created.json().get("token").asString();
        assertThat(links.resolve(token)).contains(session);
        Thread.sleep(1_200);
        assertThat(links.resolve(token)).isEmpty();
    }

    @Test
    void unknownSessionsTokensAndBadExpiry() {
        Http.Response noSession = admin().post("/api/sessions/987654321/share", null);
        assertThat(noSession.status()).isEqualTo(404);
        assertThat(noSession.isProblem()).isTrue();
        assertThat(noSession.json().get("detail").asString()).isEqualTo("session 987654321 does not exist");

        assertThat(admin().delete("/api/share/skbs_unknown").status()).isEqualTo(404);
        assertThat(links.resolve("skbs_unknown")).isEmpty();
        assertThat(links.resolve("")).isEmpty();

        long session = insertSession("stopped", "1 hour", "1 minute");
        Http.Response negative = admin().post("/api/sessions/" + session + "/share", "{\"expiresInSeconds\":-5}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("errors").get(0).get("field").asString()).isEqualTo("expiresInSeconds");
    }
}
