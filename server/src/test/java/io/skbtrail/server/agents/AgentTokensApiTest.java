package io.skbtrail.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;

/** Agent tokens API: the secret shown once, never listed, and useless after revocation. */
class AgentTokensApiTest extends ServerIntegrationTest {
    @Autowired
    AgentTokens tokens;
    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void hostTokenIsShownOnceListedWithoutSecretAndRevoked() {
        Http.Response created = admin().post("/api/agent-tokens", "{\"host\":\"node-1\",\"description\":\"rack 4\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode token = created.json();
        long id = token.get("id").asLong();
        String secret = token.get("token").asString();
        assertThat(secret).startsWith("skbt_").hasSizeGreaterThan(40);
        assertThat(token.get("scope").asString()).isEqualTo("host");
        assertThat(token.get("host").asString()).isEqualTo("node-1");

        Http.Response list = admin().get("/api/agent-tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("\"token\"");
        JsonNode listed = byId(list.json(), id);
        assertThat(listed.get("description").asString()).isEqualTo("rack 4");
        assertThat(listed.get("createdBy").asString()).isEqualTo("admin");
        assertThat(listed.get("revokedAt").isNull()).isTrue();

        assertThat(tokens.authenticate(secret)).isPresent();
        assertThat(tokens.authenticate(secret).orElseThrow().allowsHost("node-1")).isTrue();
        assertThat(tokens.authenticate(secret).orElseThrow().allowsHost("node-2")).isFalse();

        // what the agent link will hear (the event is published on the server's request thread)
        List<Object> published = new CopyOnWriteArrayList<>();
        ApplicationListener<ApplicationEvent> listener = e -> {
            if (e instanceof PayloadApplicationEvent && ((PayloadApplicationEvent<?>) e).getPayload() instanceof AgentTokenRevoked) {
                published.add(((PayloadApplicationEvent<?>) e).getPayload());
            }
        };
        context.addApplicationListener(listener);
        try {
            assertThat(admin().delete("/api/agent-tokens/" + id).status()).isEqualTo(204);
        } finally {
            context.removeApplicationListener(listener);
        }
        assertThat(tokens.authenticate(secret)).isEmpty();
        assertThat(published).containsExactly(new AgentTokenRevoked(id));
        assertThat(byId(admin().get("/api/agent-tokens").json(), id).get("revokedAt").isNull()).isFalse();
        assertThat(audited("agent-token.create", "agent-token/" + id)).isTrue();
        assertThat(audited("agent-token.revoke", "agent-token/" + id)).isTrue();
    }

    @Test
    void fleetTokenWithoutHost() {
        Http.Response created = admin().post("/api/agent-tokens", "{\"host\":null,\"description\":\"all nodes\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("scope").asString()).isEqualTo("fleet");
        assertThat(created.json().get("host").isNull()).isTrue();
        assertThat(tokens.authenticate(created.json().get("token").asString()).orElseThrow().allowsHost("any")).isTrue();
    }

    @Test
    void unknownTokenAndBadHostName() {
        Http.Response missing = admin().delete("/api/agent-tokens/987654321");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asString()).isEqualTo("agent token 987654321 does not exist");
        Http.Response bad = admin().post("/api/agent-tokens", "{\"host\":\"no spaces please\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("host");
    }

    private static JsonNode byId(JsonNode list, long id) {
        for (JsonNode t : list) {
            if (t.get("id").asLong() == id) {
                return t;
            }
        }
        throw new AssertionError("no token " + id + " in " + list);
    }
}
