package io.skbtrail.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.Http;
import io.skbtrail.server.ScriptedAgentClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bad session requests and roles: each is refused with a problem+json that says what is wrong, and
 * nothing happens: no session is stored and the connected agent hears nothing.
 */
class SessionApiErrorsTest extends AgentLinkTestBase {
    private String name;
    private ScriptedAgentClient agent;

    @BeforeEach
    void connectAnAgent() {
        name = unique("api");
        agent = agent(hello(name, UUID.randomUUID().toString(), Map.of("pool", name), 8, List.of()));
    }

    @AfterEach
    void disconnect() {
        agent.close();
    }

    @Test
    void invalidFilterIsRefusedWithTheCompilersMessageAndNoAgentIsArmed() {
        String compilerMessage = compilerMessage("tcp and prt 80");
        int sessions = sessionCount();

        Http.Response refused = admin().post("/api/sessions", "{\"filter\":\"tcp and prt 80\",\"hosts\":[\"" + name + "\"]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("filter");
        assertThat(error.get("message").asString()).isEqualTo(compilerMessage);
        assertThat(refused.json().get("detail").asString()).isEqualTo("filter: " + compilerMessage);
        assertThat(sessionCount()).isEqualTo(sessions);

        // the next frame the agent gets is the arm of the next valid session, not one of the refused request
        long valid = startSession("{\"filter\":\"tcp and port 80\",\"hosts\":[\"" + name + "\"]}");
        assertThat(agent.await(ServerFrame.Arm.class).session()).isEqualTo(valid);
        assertThat(agent.frames().stream().filter(ServerFrame.Arm.class::isInstance).count()).isEqualTo(1);
        stop(valid);
    }

    @Test
    void unknownHostUnknownOptionBadOptionValueAndNoSelectionAreFieldErrors() {
        int sessions = sessionCount();
        assertFieldError("{\"hosts\":[\"no-such-host-" + name + "\"]}", "hosts[0]",
                "unknown host \"no-such-host-" + name + "\" (GET /api/hosts lists them)");
        assertFieldError("{\"hosts\":[\"" + name + "\"],\"options\":{\"output-file\":\"/etc/passwd\"}}",
                "options.output-file", "unknown option \"output-file\"; sessions take ");
        assertFieldError("{\"hosts\":[\"" + name + "\"],\"options\":{\"rate-limit\":\"lots\"}}",
                "options.rate-limit", "option \"rate-limit\" takes a non-negative integer, not \"lots\"");
        assertFieldError("{\"filter\":\"tcp\"}", "hosts", "select hosts by name (hosts) or by label (labels)");
        assertFieldError("{\"labels\":{\"pool\":\"nobody-" + name + "\"}}", "labels", "no host carries all of");
        assertThat(sessionCount()).isEqualTo(sessions);
        assertThat(agent.hasReceived(ServerFrame.Arm.class)).isFalse();
    }

    @Test
    void viewerCannotStartASession() {
        int sessions = sessionCount();
        Http.Response refused = newUser("viewer").post("/api/sessions", "{\"hosts\":[\"" + name + "\"]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();
        assertThat(sessionCount()).isEqualTo(sessions);
        assertThat(agent.hasReceived(ServerFrame.Arm.class)).isFalse();
    }

    @Test
    void operatorStartsAndStopsButOnlyAnAdminDeletesAndOnlyEndedSessions() {
        Http operator = newUser("operator");
        Http.Response started = operator.post("/api/sessions", "{\"filter\":\"udp\",\"labels\":{\"pool\":\"" + name + "\"}}");
        assertThat(started.status()).isEqualTo(201);
        long session = started.json().get("id").asLong();
        agent.await(ServerFrame.Arm.class, a -> a.session() == session);
        agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
        agent.await(ServerFrame.Start.class);
        agent.send(batch(1, session, null, event(1, null), event(2, "NO_SOCKET")));
        agent.await(ServerFrame.Ack.class);

        assertThat(operator.delete("/api/sessions/" + session).status()).isEqualTo(403);
        Http.Response running = admin().delete("/api/sessions/" + session);
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.json().get("detail").asString())
                .isEqualTo("session " + session + " is running: stop it before deleting it");
        assertThat(storedEvents(session)).isEqualTo(2);

        assertThat(operator.post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
        agent.await(ServerFrame.Stop.class);
        agent.send(batch(2, session, "stopped", summaryRecord(2, 2, Map.of())));
        awaitSessionState(session, "stopped");

        assertThat(admin().delete("/api/sessions/" + session).status()).isEqualTo(204);
        Http.Response events = admin().get("/api/sessions/" + session + "/events");
        assertThat(events.status()).isEqualTo(404);
        assertThat(events.json().get("detail").asString()).isEqualTo("session " + session + " does not exist");
        assertThat(admin().get("/api/sessions/" + session).status()).isEqualTo(404);
        assertThat(storedEvents(session)).isZero();
        assertThat(agent.isOpen()).isTrue();
    }

    @Test
    void moreSessionsThanTheHostTakesIsAConflictNamingTheHost() {
        String small = unique("single");
        try (ScriptedAgentClient one = agent(hello(small, UUID.randomUUID().toString(), Map.of(), 1, List.of()))) {
            long first = startSession("{\"hosts\":[\"" + small + "\"]}");
            one.await(ServerFrame.Arm.class);
            int sessions = sessionCount();

            Http.Response refused = admin().post("/api/sessions", "{\"hosts\":[\"" + small + "\"]}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.json().get("detail").asString()).startsWith("host " + small + " already runs 1 session(s)");
            assertThat(sessionCount()).isEqualTo(sessions);
            assertThat(one.frames().stream().filter(ServerFrame.Arm.class::isInstance).count()).isEqualTo(1);
            stop(first);
        }
    }

    private void assertFieldError(String body, String field, String message) {
        Http.Response refused = admin().post("/api/sessions", body);
        assertThat(refused.status()).as(body).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo(field);
        assertThat(error.get("message").asString()).startsWith(message);
        assertThat(refused.json().get("detail").asString()).startsWith(field + ": ");
    }

    private int sessionCount() {
        return admin().get("/api/sessions").json().size();
    }

    private void stop(long session) {
        assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
    }

    /** What the filter compiler (libpcap) says about this expression. */
    private static String compilerMessage(String filter) {
        try {
            PcapFilterCompiler.compile(filter);
            throw new AssertionError("compiles: " + filter);
        } catch (FilterException e) {
            return e.getMessage();
        }
    }
}
