package io.skbtrail.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.ScriptedAgentClient;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Frames no working agent sends: not JSON, unknown types and fields, wrong types, lying batch counts, values
 * the database would refuse, oversized frames, sessions the host was never asked to trace. Each closes that
 * one link with a reason naming the fault and is logged; nothing of the frame is stored, the host's acked
 * batch stays where it was, and every other agent keeps its link.
 */
@ExtendWith(OutputCaptureExtension.class)
class AgentLinkHostileFramesTest extends AgentLinkTestBase {
    private String bystanderName;
    private ScriptedAgentClient bystander;

    @BeforeEach
    void connectABystander() {
        bystanderName = unique("bystander");
        bystander = agent(hello(bystanderName));
    }

    @AfterEach
    void bystanderIsUnharmed() {
        assertThat(bystander.isOpen()).as("another agent's link").isTrue();
        assertThat(host(bystanderName).get("state").asString()).isEqualTo("online");
        bystander.close();
    }

    @Test
    void notJson(CapturedOutput log) {
        assertClosesTheLink(session -> "{\"type\":\"heartbeat\",", 1008, "malformed JSON: truncated at offset 20", log);
    }

    @Test
    void unknownFrameType(CapturedOutput log) {
        assertClosesTheLink(session -> "{\"type\":\"shutdown\",\"session\":" + session + "}", 1008,
                "frame.type: unknown agent frame type \"shutdown\"", log);
    }

    @Test
    void unknownField(CapturedOutput log) {
        assertClosesTheLink(session -> "{\"type\":\"armed\",\"session\":" + session
                + ",\"backend\":\"tracepoint\",\"probes\":21,\"not_traced\":[],\"root\":true}", 1008, "armed: unknown field \"root\"", log);
    }

    @Test
    void wrongFieldType(CapturedOutput log) {
        assertClosesTheLink(session -> "{\"type\":\"armed\",\"session\":\"" + session
                + "\",\"backend\":\"tracepoint\",\"probes\":21,\"not_traced\":[]}", 1008, "armed.session", log);
    }

    @Test
    void batchAsABinaryFrameIsStoredLikeText() {
        String name = unique("binary");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            long before = storedEvents(session);
            agent.sendBinary(batch(2, session, null, event(2, null), event(3, null))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(agent.await(ServerFrame.Ack.class, a -> a.seq() == 2).seq()).isEqualTo(2);
            assertThat(storedEvents(session)).isEqualTo(before + 2);
            stop(session);
        }
    }

    @Test
    void binaryFrameThatIsNotUtf8ClosesTheLinkWith1007(CapturedOutput log) {
        String name = unique("not-utf8");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            long before = storedEvents(session);
            byte[] bytes = batch(2, session, null, event(2, null)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            bytes[bytes.length / 2] = (byte) 0xff;
            agent.sendBinary(bytes);
            assertThat(agent.awaitClose()).isEqualTo(new ScriptedAgentClient.Closed(1007, "binary frame is not UTF-8 text"));
            assertThat(log.getOut()).contains("agent " + name + ": binary frame is not UTF-8 text; closing the link");
            assertThat(storedEvents(session)).isEqualTo(before);
            stop(session);
        }
    }

    @Test
    void batchWhoseCountLies(CapturedOutput log) {
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null))
                .replace("\"count\":2", "\"count\":3"), 1008, "batch: count says 3 records, frame has 2", log);
    }

    @Test
    void batchWithAnAddressThatIsNoIpAddress(CapturedOutput log) {
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null))
                .replace("\"saddr\":\"10.231.9.1\"", "\"saddr\":\"evil.example\""), 1008,
                "event.tuple.saddr: not an IP address", log);
    }

    @Test
    void binaryBatchesAreRefusedAlike(CapturedOutput log) {
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null))
                .replace("\"saddr\":\"10.231.9.1\"", "\"saddr\":\"10.231.9.256\""), 1008,
                "event.tuple.saddr: not an IP address", log, true);
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null))
                .replace("\"seq\":3,", "\"seq\":3,\"seq\":3,"), 1008,
                "batch record 2: malformed JSON at offset", log, true);
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null)).stripTrailing(), 1008,
                "batch: record 2 has no line end", log, true);
    }

    @Test
    void batchWithABootIdThatIsNoUuid(CapturedOutput log) {
        assertClosesTheLink(session -> batch(2, session, null, event(2, null), event(3, null))
                .replace("\"boot_id\":\"" + BOOT_ID + "\"", "\"boot_id\":\"'; drop table events; --\""), 1008,
                "event.boot_id: expected a UUID", log);
    }

    @Test
    void batchForASessionThisHostWasNeverAskedToTrace(CapturedOutput log) {
        String name = unique("outsider");
        try (ScriptedAgentClient outsider = agent(hello(name))) {
            long othersSession = tracingSession(bystander, bystanderName);
            outsider.send(batch(1, othersSession, null, event(1, null)));
            ScriptedAgentClient.Closed closed = outsider.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason())
                    .isEqualTo("event batch for session " + othersSession + ", which this host was never asked to trace");
            assertThat(outsider.hasReceived(ServerFrame.Ack.class)).isFalse();
            assertThat(storedEvents(othersSession)).isZero();
            assertThat(session(othersSession).get("events").asLong()).isZero();
            assertThat(ackedSeq(name)).isZero();
            assertThat(log.getOut()).contains("agent " + name + ": event batch for session " + othersSession);
            stop(othersSession);
        }
    }

    @Test
    void armedForAnUnknownSessionIsAnsweredWithStop() {
        String name = unique("confused");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            agent.send(new AgentFrame.Armed(987_654_321L, "tracepoint", 21, List.of()));
            assertThat(agent.await(ServerFrame.Stop.class).session()).isEqualTo(987_654_321L);
            assertThat(agent.hasReceived(ServerFrame.Start.class)).isFalse();
            assertThat(agent.isOpen()).isTrue();
            assertThat(admin().get("/api/sessions/987654321").status()).isEqualTo(404);
        }
    }

    @Test
    void frameLargerThanTheLimitClosesTheLinkWith1009(CapturedOutput log) {
        String name = unique("oversized");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            StringBuilder huge = new StringBuilder(AgentLinkConfig.MAX_FRAME_BYTES + 64)
                    .append("{\"type\":\"heartbeat\",\"junk\":\"");
            huge.append("x".repeat(AgentLinkConfig.MAX_FRAME_BYTES));
            agent.sendInParts(huge.append("\"}").toString(), 1 << 20);
            assertThat(agent.awaitClose()).isEqualTo(new ScriptedAgentClient.Closed(1009,
                    "frame larger than " + AgentLinkConfig.MAX_FRAME_BYTES + " bytes"));
            awaitOffline(name);
            assertThat(log.getOut()).contains("agent " + name + ": frame larger than 33554432 bytes; closing the link")
                    .contains("agent " + name + " disconnected: a frame exceeded the size limit");
            assertThat(storedEvents(session)).isZero();
            assertThat(admin().get("/api/hosts").status()).as("the server carries on").isEqualTo(200);
            stop(session);
        }
    }

    /**
     * Connects an agent tracing a session with one batch stored, sends the frame, and checks the link is
     * closed with this code and a reason containing {@code reason}, the server logged it, and nothing changed.
     */
    private void assertClosesTheLink(LongFunction<String> frame, int code, String reason, CapturedOutput log) {
        assertClosesTheLink(frame, code, reason, log, false);
    }

    /** @param binary sent as a binary frame of UTF-8 text, as agents send batches */
    private void assertClosesTheLink(LongFunction<String> frame, int code, String reason, CapturedOutput log,
            boolean binary) {
        String name = unique("hostile");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            agent.send(batch(1, session, null, event(1, null)));
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(1);
            long stored = rows("events");

            if (binary) {
                agent.sendBinary(frame.apply(session).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                agent.send(frame.apply(session));
            }
            ScriptedAgentClient.Closed closed = agent.awaitClose();
            assertThat(closed.code()).isEqualTo(code);
            assertThat(closed.reason()).contains(reason);
            assertThat(agent.hasReceived(ServerFrame.Ack.class) && agent.frames().stream()
                    .filter(ServerFrame.Ack.class::isInstance).count() > 1).as("no second ack").isFalse();
            eventually("the server logs it", () -> log.getOut().contains("agent " + name + ": " + closed.reason()
                    .replace("...", "")));

            assertThat(rows("events")).as("nothing of the frame stored").isEqualTo(stored);
            assertThat(storedEvents(session)).isEqualTo(1);
            assertThat(session(session).get("events").asLong()).isEqualTo(1);
            assertThat(ackedSeq(name)).isEqualTo(1);
            awaitOffline(name);
            assertThat(admin().get("/api/hosts").status()).isEqualTo(200);
            stop(session);
        }
    }

    private void stop(long session) {
        assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
    }
}
