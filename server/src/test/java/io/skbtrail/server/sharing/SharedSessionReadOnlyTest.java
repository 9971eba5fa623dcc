package io.skbtrail.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.Http;
import io.skbtrail.server.ScriptedAgentClient;
import org.junit.jupiter.api.Test;

/**
 * A share link reads one session without login (detail, summary, events) and can do nothing else; once
 * revoked it reads nothing.
 */
class SharedSessionReadOnlyTest extends AgentLinkTestBase {

    @Test
    void shareLinkReadsTheSessionWithoutLoginChangesNothingAndDiesWhenRevoked() {
        String name = unique("shared");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            agent.send(batch(1, session, null, event(1, null), event(2, "NO_SOCKET"), loss("kernel_ringbuf", 3, 3)));
            agent.await(ServerFrame.Ack.class);

            Http operator = newUser("operator");
            Http.Response created = operator.post("/api/sessions/" + session + "/share", null);
            assertThat(created.status()).isEqualTo(201);
            String token = created.json().get("token").asString();
            String base = "/api/shared/" + token;
            Http nobody = anonymous();

            Http.Response detail = nobody.get(base + "/session");
            assertThat(detail.status()).isEqualTo(200);
            assertThat(detail.json().get("id").asLong()).isEqualTo(session);
            assertThat(detail.json().get("state").asString()).isEqualTo("running");
            Http.Response summary = nobody.get(base + "/summary");
            assertThat(summary.status()).isEqualTo(200);
            assertThat(summary.json().get("events").asLong()).isEqualTo(2);
            assertThat(summary.json().get("lost").get("kernel_ringbuf").asLong()).isEqualTo(3);
            Http.Response events = nobody.get(base + "/events");
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.json().get("events")).hasSize(2);
            assertThat(events.json().get("events").get(0).get("host").asString()).isEqualTo(name);

            // writes with the link: refused, and the session carries on untouched
            for (String path : new String[] {"/session", "/summary", "/events", "/session/stop", ""}) {
                assertThat(nobody.post(base + path, "{}").status()).as("POST " + path).isIn(401, 403, 404, 405);
                assertThat(nobody.delete(base + path).status()).as("DELETE " + path).isIn(401, 403, 404, 405);
            }
            // without a login, writes elsewhere are refused too (403 from the CSRF check, which comes first)
            assertThat(nobody.post("/api/sessions/" + session + "/stop", null).status()).isIn(401, 403);
            assertThat(nobody.delete("/api/sessions/" + session).status()).isIn(401, 403);
            assertThat(nobody.delete("/api/share/" + token).status()).isIn(401, 403);
            assertThat(session(session).get("state").asString()).isEqualTo("running");
            assertThat(storedEvents(session)).isEqualTo(2);
            assertThat(agent.hasReceived(ServerFrame.Stop.class)).isFalse();
            assertThat(nobody.get(base + "/summary").status()).as("the link still works").isEqualTo(200);

            // the link reaches no other session
            long other = tracingSession(agent, name);
            assertThat(nobody.get(base + "/session").json().get("id").asLong()).isEqualTo(session);
            assertThat(nobody.get("/api/sessions/" + other).status()).isEqualTo(401);

            assertThat(operator.delete("/api/share/" + token).status()).isEqualTo(204);
            for (String path : new String[] {"/session", "/summary", "/events"}) {
                Http.Response gone = nobody.get(base + path);
                assertThat(gone.status()).as(path).isEqualTo(404);
                assertThat(gone.json().get("detail").asString()).isEqualTo("share link unknown, revoked or expired");
            }
            assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
            assertThat(admin().post("/api/sessions/" + other + "/stop", null).status()).isEqualTo(202);
        }
    }
}
