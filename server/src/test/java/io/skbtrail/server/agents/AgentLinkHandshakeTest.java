package io.skbtrail.server.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.ScriptedAgentClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Who may open the agent link and say hello: tokens (missing, unknown, revoked, for another host), the
 * protocol version, the first frame, and unique names. Each refusal is clear to the agent's operator (HTTP
 * status, Reject frame, close code and reason, server log) and changes nothing else.
 */
@ExtendWith(OutputCaptureExtension.class)
class AgentLinkHandshakeTest extends AgentLinkTestBase {

    @Test
    void missingUnknownOrRevokedTokenIsRefusedWith401BeforeTheLinkOpens(CapturedOutput log) {
        long hosts = rows("hosts");
        assertRefused(null);
        assertThat(log.getOut()).contains("refused: no Authorization header");

        assertRefused("skbt_not-a-token-anyone-made");
        assertThat(log.getOut()).contains("refused: unknown or revoked agent token");

        Token revoked = fleetToken();
        assertThat(admin().delete("/api/agent-tokens/" + revoked.id()).status()).isEqualTo(204);
        assertRefused(revoked.secret());
        assertThat(rows("hosts")).as("no host registered").isEqualTo(hosts);
    }

    @Test
    void hostTokenUsedUnderAnotherNameGetsARejectNamingItsHost(CapturedOutput log) {
        String host = unique("scoped");
        String other = unique("impostor");
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, hostToken(host).secret())) {
            agent.send(hello(other));
            assertThat(agent.await(ServerFrame.Reject.class).reason())
                    .isEqualTo("this token is for host \"" + host + "\", not \"" + other + "\"");
            ScriptedAgentClient.Closed closed = agent.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("this token is for host \"" + host + "\"");
        }
        assertThat(log.getOut()).contains("refused: this token is for host \"" + host + "\"");
        assertThat(host(other)).as("the impostor is not registered").isNull();
        assertThat(host(host)).isNull();

        // the same token under its own name works
        try (ScriptedAgentClient agent = agent(hostToken(host), hello(host))) {
            assertThat(host(host).get("state").asString()).isEqualTo("online");
        }
    }

    @Test
    void revokingATokenDisconnectsTheAgentsUsingItAndNoOther(CapturedOutput log) {
        String revokedName = unique("revoked");
        String keptName = unique("kept");
        Token revoked = fleetToken();
        try (ScriptedAgentClient victim = agent(revoked, hello(revokedName));
                ScriptedAgentClient bystander = agent(hello(keptName))) {
            assertThat(admin().delete("/api/agent-tokens/" + revoked.id()).status()).isEqualTo(204);

            ScriptedAgentClient.Closed closed = victim.awaitClose();
            assertThat(closed).isEqualTo(new ScriptedAgentClient.Closed(1008, "agent token revoked"));
            awaitOffline(revokedName);
            assertThat(log.getOut()).contains("agent " + revokedName + ": its token " + revoked.id() + " was revoked");
            assertThat(bystander.isOpen()).isTrue();
            assertThat(host(keptName).get("state").asString()).isEqualTo("online");
            assertRefused(revoked.secret());
        }
    }

    @Test
    void wrongProtocolVersionIsRejected() {
        String name = unique("future");
        AgentFrame.Hello v1 = hello(name);
        AgentFrame.Hello v2 = new AgentFrame.Hello(2, name, v1.labels(), v1.incarnation(), v1.bootId(), v1.kernel(),
                v1.arch(), v1.agentVersion(), v1.backend(), v1.backends(), v1.maxSessions(), v1.sessions());
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, fleetToken().secret())) {
            agent.send(v2);
            assertThat(agent.await(ServerFrame.Reject.class).reason())
                    .isEqualTo("agent speaks link protocol 2, this server speaks 1: upgrade the older side");
            assertThat(agent.awaitClose().code()).isEqualTo(1008);
            assertThat(agent.hasReceived(ServerFrame.Welcome.class)).isFalse();
        }
        assertThat(host(name)).isNull();
    }

    @Test
    void firstFrameThatIsNotAHelloClosesTheLink(CapturedOutput log) {
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, fleetToken().secret())) {
            agent.send(new AgentFrame.Pong(1, Instant.now()));
            assertThat(agent.awaitClose())
                    .isEqualTo(new ScriptedAgentClient.Closed(1008, "first frame must be a hello, got Pong"));
            assertThat(agent.received()).isEmpty();
        }
        assertThat(log.getOut()).contains("first frame must be a hello, got Pong; closing the link");
    }

    @Test
    void secondAgentWithTheSameNameIsRejectedAndTheFirstKeepsWorking(CapturedOutput log) {
        String name = unique("twin");
        String firstIncarnation = UUID.randomUUID().toString();
        try (ScriptedAgentClient first = agent(hello(name, firstIncarnation, Map.of("rack", "4"), 8, List.of()))) {
            long session = tracingSession(first, name);
            first.send(batch(1, session, null, event(1, null)));
            assertThat(first.await(ServerFrame.Ack.class).seq()).isEqualTo(1);

            try (ScriptedAgentClient second = ScriptedAgentClient.connect(port, fleetToken().secret())) {
                second.send(hello(name, UUID.randomUUID().toString(), Map.of("rack", "9"), 8, List.of()));
                assertThat(second.await(ServerFrame.Reject.class).reason())
                        .isEqualTo("an agent named \"" + name + "\" is already connected; names must be unique");
                assertThat(second.awaitClose().code()).isEqualTo(1008);
            }
            assertThat(log.getOut()).contains("already connected; names must be unique");

            // the first agent's registration is untouched and its link carries on
            assertThat(host(name).get("labels").get("rack").asString()).isEqualTo("4");
            assertThat(jdbc.queryForObject("select incarnation from hosts where name = ?", String.class, name))
                    .isEqualTo(firstIncarnation);
            first.send(batch(2, session, null, event(2, null)));
            assertThat(first.await(ServerFrame.Ack.class).seq()).isEqualTo(2);
            assertThat(first.isOpen()).isTrue();
            assertThat(storedEvents(session)).isEqualTo(2);
            assertThat(session(session).get("hosts").get(0).get("state").asString()).isEqualTo("tracing");
            assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
        }
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> ScriptedAgentClient.connect(port, token))
                .isInstanceOfSatisfying(ScriptedAgentClient.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
    }
}
