package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every server frame, well-formed, malformed, hostile or out of order: logged, link closed or ignored. */
@Tag("unit")
class FrameDispatcherTest {
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Outbox outbox = new Outbox(100);
    private final FakeLink link = new FakeLink();
    private final List<String> sessionCalls = new ArrayList<>();
    private final FrameDispatcher dispatcher = new FrameDispatcher(link, new SessionControl() {
        @Override
        public void arm(ServerFrame.Arm arm) {
            sessionCalls.add("arm " + arm.session() + " " + arm.filter());
        }

        @Override
        public void start(long session) {
            sessionCalls.add("start " + session);
        }

        @Override
        public void stop(long session) {
            sessionCalls.add("stop " + session);
        }

        @Override
        public void update(long session, Map<String, String> options) {
            sessionCalls.add("update " + session + " " + options);
        }
    }, outbox, new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));

    /** A connection as the dispatcher sees it. */
    private static final class FakeLink implements LinkControl {
        final List<AgentFrame> sent = new ArrayList<>();
        ServerFrame.Welcome welcome;
        String rejected;
        Integer closeCode;
        long sentSeq;

        @Override
        public void send(AgentFrame frame) {
            sent.add(frame);
        }

        @Override
        public boolean welcomed() {
            return welcome != null;
        }

        @Override
        public void welcome(ServerFrame.Welcome w) {
            welcome = w;
        }

        @Override
        public void reject(String reason) {
            rejected = reason;
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        @Override
        public long sentSeq() {
            return sentSeq;
        }
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private void welcome() {
        dispatcher.onMessage("{\"type\":\"welcome\",\"host\":3,\"acked_seq\":0,\"heartbeat_millis\":1000}");
        assertEquals(new ServerFrame.Welcome(3, 0, 1000), link.welcome);
    }

    @Test
    void aPingIsAnsweredAtOnceWithTheAgentsClock() {
        Instant before = Instant.now();
        dispatcher.onMessage("{\"type\":\"ping\",\"id\":12}");
        AgentFrame.Pong pong = assertInstanceOf(AgentFrame.Pong.class, link.sent.get(0));
        assertEquals(12, pong.id());
        assertFalse(pong.agentTime().isBefore(before));
        assertFalse(pong.agentTime().isAfter(Instant.now()));
        assertEquals(null, link.closeCode, "pings are answered before the welcome too");
    }

    @Test
    void sessionFramesAfterTheWelcomeReachTheSessions() {
        welcome();
        dispatcher.onMessage("{\"type\":\"arm\",\"session\":4,\"filter\":\"udp\",\"options\":{},\"max_events\":0,\"deadline\":null}");
        dispatcher.onMessage("{\"type\":\"start\",\"session\":4}");
        dispatcher.onMessage("{\"type\":\"update\",\"session\":4,\"options\":{\"filter-mark\":\"0x2\"}}");
        dispatcher.onMessage("{\"type\":\"stop\",\"session\":4}");
        assertEquals(List.of("arm 4 udp", "start 4", "update 4 {filter-mark=0x2}", "stop 4"), sessionCalls);
    }

    @Test
    void anAckForgetsBatchesAndOneBeyondWhatWasSentIsClamped() {
        welcome();
        for (int i = 0; i < 3; i++) {
            outbox.reserve(0);
            outbox.seal(1, null, "", 0);
        }
        link.sentSeq = 2;
        dispatcher.onMessage("{\"type\":\"ack\",\"seq\":1}");
        assertEquals(1, outbox.acked());
        dispatcher.onMessage("{\"type\":\"ack\",\"seq\":99}");
        assertEquals(2, outbox.acked(), "batch 3 was never sent: it is not forgotten");
        assertEquals(1, outbox.unacked().size());
        assertTrue(log().contains("acknowledged batch 99 but only 2 were sent"), log());
        assertEquals(null, link.closeCode);
    }

    @Test
    void aRejectEndsTheAgent() {
        dispatcher.onMessage("{\"type\":\"reject\",\"reason\":\"an agent named \\\"node-a\\\" is already connected\"}");
        assertEquals("an agent named \"node-a\" is already connected", link.rejected);
    }

    @Test
    void unreadableFramesCloseTheLinkWithAProtocolError() {
        String[] hostile = {
            "", "not json", "[]", "{}", "null", "{\"type\":\"welcome\"}",
            "{\"type\":\"format_disk\",\"session\":1}",
            "{\"type\":\"ping\",\"id\":-1}",
            "{\"type\":\"ping\",\"id\":1,\"extra\":true}",
            "{\"type\":\"arm\",\"session\":0,\"filter\":\"\",\"options\":{},\"max_events\":0,\"deadline\":null}",
            "{\"type\":\"arm\",\"session\":1,\"filter\":\"\",\"options\":{\"a\":1},\"max_events\":0,\"deadline\":null}",
            "{\"type\":\"ping\",\"id\":1}{\"type\":\"ping\",\"id\":2}",
            "{\"type\":\"ping\",\"id\":" + "9".repeat(400) + "}",
            "{\"type\":\"" + "x".repeat(70_000) + "\"}",
            "{\"type\":\"ping\",\"id\":1" + "}".repeat(10),
            "[".repeat(100_000),
        };
        for (String frame : hostile) {
            link.closeCode = null;
            dispatcher.onMessage(frame);
            assertEquals(FrameDispatcher.PROTOCOL_ERROR, link.closeCode, frame.length() > 80 ? frame.substring(0, 80) : frame);
        }
        assertTrue(link.sent.isEmpty());
        assertTrue(sessionCalls.isEmpty());
        assertEquals(null, link.welcome);
        assertTrue(log().contains("closing the link: the server sent a frame this agent cannot read"), log());
        assertTrue(log().lines().allMatch(l -> l.length() < 400), "log lines stay short: " + log());
    }

    @Test
    void sessionFramesBeforeTheWelcomeAreAProtocolError() {
        dispatcher.onMessage("{\"type\":\"start\",\"session\":4}");
        assertEquals(FrameDispatcher.PROTOCOL_ERROR, link.closeCode);
        assertTrue(sessionCalls.isEmpty());
        assertTrue(log().contains("a start frame before the welcome"), log());
    }

    @Test
    void aSecondWelcomeIsIgnored() {
        welcome();
        dispatcher.onMessage("{\"type\":\"welcome\",\"host\":9,\"acked_seq\":5,\"heartbeat_millis\":10}");
        assertEquals(new ServerFrame.Welcome(3, 0, 1000), link.welcome);
        assertEquals(null, link.closeCode);
        assertTrue(log().contains("ignored a second welcome"), log());
    }

    @Test
    void aSessionControlThatThrowsDoesNotEscape() {
        FrameDispatcher throwing = new FrameDispatcher(link, new SessionControl() {
            @Override
            public void arm(ServerFrame.Arm arm) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void start(long session) {}

            @Override
            public void stop(long session) {}

            @Override
            public void update(long session, Map<String, String> options) {}
        }, outbox, new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
        link.welcome = new ServerFrame.Welcome(1, 0, 1000);
        throwing.onMessage("{\"type\":\"arm\",\"session\":4,\"filter\":\"\",\"options\":{},\"max_events\":0,\"deadline\":null}");
        assertTrue(log().contains("internal error handling"), log());
    }
}
