package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole link against a test WebSocket server on loopback, with fake probes: handshake and hello,
 * welcome, ping, heartbeat, sessions, acks, reconnection and resending, refusals, hostile frames, shutdown.
 */
@Tag("unit")
class AgentLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "s3cret-token";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final FakeArmer armer = new FakeArmer();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final HostIdentity host = new HostIdentity("node-a", Map.of("zone", "eu-1"), UUID.randomUUID().toString(),
            "boot-1", "6.18.44", "amd64", "dev", "fake",
            List.of(new AgentFrame.Backend("kprobe_multi", false, "no kprobe PMU"),
                    new AgentFrame.Backend("tracepoint", true, null)), 8);
    private TestLinkServer server;
    private AgentLink link;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestLinkServer(TOKEN);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (link != null) {
            link.requestShutdown();
        }
        runner.shutdown();
        runner.awaitTermination(20, TimeUnit.SECONDS);
        server.close();
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private Future<Integer> run(String token, long bufferEvents) {
        LinkSettings settings = new LinkSettings(ServerAddress.linkUri(server.url()), token, FilterScope.ANY, List.of(),
                20, 4096, bufferEvents);
        link = new AgentLink(settings, host, armer, new PrintStream(logged, true, StandardCharsets.UTF_8));
        return runner.submit(link::run);
    }

    private Future<Integer> run() {
        return run(TOKEN, 1_000_000);
    }

    /** Accepts the agent's connection, checks its hello and welcomes it. */
    private TestLinkServer.Conn welcome(long ackedSeq, int heartbeatMillis) throws Exception {
        TestLinkServer.Conn conn = server.awaitConnection(WAIT);
        AgentFrame.Hello hello = conn.receive(AgentFrame.Hello.class, WAIT);
        assertEquals(host.incarnation(), hello.incarnation());
        conn.send(new ServerFrame.Welcome(3, ackedSeq, heartbeatMillis));
        return conn;
    }

    private static ServerFrame.Arm arm(long id) {
        return new ServerFrame.Arm(id, "udp", Map.of(), 0, null);
    }

    @Test
    void helloWelcomePingAndHeartbeats() throws Exception {
        Future<Integer> exit = run();
        TestLinkServer.Conn conn = server.awaitConnection(WAIT);
        assertEquals("Bearer " + TOKEN, conn.header("Authorization"));
        AgentFrame.Hello hello = conn.receive(AgentFrame.Hello.class, WAIT);
        assertEquals(host.hello(List.of()), hello);
        assertEquals(LinkJson.PROTOCOL, hello.protocol());

        conn.send(new ServerFrame.Welcome(3, 0, 100));
        // A ping in three fragments: the agent joins them.
        conn.sendFragments("{\"type\":\"pi", "ng\",\"id\"", ":12}");
        assertEquals(12, conn.receive(AgentFrame.Pong.class, WAIT).id());
        AgentFrame.Heartbeat beat = conn.receive(AgentFrame.Heartbeat.class, WAIT);
        assertEquals(List.of(), beat.sessions());
        assertEquals(0, beat.bufferedEvents());
        assertTrue(log().contains("skbtrail-agent: connected to ws://127.0.0.1:"), log());
        assertTrue(log().contains("/api/agent/link as host 3"), log());

        link.requestShutdown();
        assertEquals(AgentLink.EXIT_OK, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1000, conn.awaitClosed(WAIT), "a normal close");
        assertTrue(log().endsWith("skbtrail-agent: stopped\n"), log());
    }

    @Test
    void aSessionStreamsBatchesUntilStopped() throws Exception {
        run();
        TestLinkServer.Conn conn = welcome(0, 60_000);
        conn.send(arm(4));
        assertEquals(new AgentFrame.Armed(4, "fake", 3, List.of("tcp:tcp_bad_csum: not in this kernel")),
                conn.receive(AgentFrame.Armed.class, WAIT));
        conn.send(new ServerFrame.Start(4));
        FakeArmer.Probes p = armer.awaitProbes(4);
        for (int i = 1; i <= 5; i++) {
            p.events.add(FakeArmer.event(i));
        }
        int events = 0;
        long seq = 0;
        while (events < 5) {
            EventBatch b = conn.receiveBatch(WAIT);
            assertEquals(++seq, b.seq(), "gap-free seq");
            assertEquals(4, b.session());
            events += b.records().size();
        }
        conn.send(new ServerFrame.Ack(seq));
        conn.send(new ServerFrame.Stop(4));
        EventBatch last = conn.receiveBatch(WAIT);
        assertEquals("stopped", last.end());
        assertInstanceOf(SummaryRecord.class, last.records().get(last.records().size() - 1));
        conn.send(new ServerFrame.Ack(last.seq()));
        for (int i = 0; i < 500 && !link.outbox().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertTrue(link.outbox().isEmpty());
    }

    @Test
    void afterAReconnectTheUnacknowledgedBatchesAreSentAgainFromTheWelcomesAckedSeq() throws Exception {
        run();
        TestLinkServer.Conn first = welcome(0, 100);
        first.send(arm(4));
        first.receive(AgentFrame.Armed.class, WAIT);
        first.send(new ServerFrame.Start(4));
        FakeArmer.Probes p = armer.awaitProbes(4);
        p.events.add(FakeArmer.event(1));
        EventBatch b1 = first.receiveBatch(WAIT);
        p.events.add(FakeArmer.event(2));
        EventBatch b2 = first.receiveBatch(WAIT);
        assertEquals(List.of(1L, 2L), List.of(b1.seq(), b2.seq()));
        first.drop(); // the server crashed having stored batch 1 only

        TestLinkServer.Conn second = server.awaitConnection(WAIT);
        AgentFrame.Hello hello = second.receive(AgentFrame.Hello.class, WAIT);
        assertEquals(List.of(4L), hello.sessions(), "the session is still tracing");
        p.events.add(FakeArmer.event(3)); // traced while the link was down, or just after
        second.send(new ServerFrame.Welcome(3, 1, 60_000));
        EventBatch resent = second.receiveBatch(WAIT);
        assertEquals(2, resent.seq(), "resumes after acked_seq");
        assertEquals(b2, resent);
        EventBatch next = second.receiveBatch(WAIT);
        assertEquals(3, next.seq());
        assertEquals(3, ((Event) next.records().get(0)).seq());
        assertTrue(log().contains("disconnected from ws://"), log());
        assertTrue(log().contains("sending 1 unacknowledged batch first"), log());
    }

    @Test
    void eventsTracedWhileTheServerIsAwayBeyondTheBufferAreCountedAndReported() throws Exception {
        run(TOKEN, 2);
        TestLinkServer.Conn first = welcome(0, 100); // heartbeats: a write finds the dropped connection
        first.send(arm(4));
        first.receive(AgentFrame.Armed.class, WAIT);
        first.send(new ServerFrame.Start(4));
        FakeArmer.Probes p = armer.awaitProbes(4);
        first.drop();
        for (int i = 1; i <= 5; i++) {
            p.events.add(FakeArmer.event(i)); // room for 2, 3 lost at agent_buffer
        }
        TestLinkServer.Conn second = server.awaitConnection(WAIT);
        second.receive(AgentFrame.Hello.class, WAIT);
        for (int i = 0; i < 500 && link.outbox().lost() < 3; i++) {
            Thread.sleep(10);
        }
        second.send(new ServerFrame.Welcome(3, 0, 50));
        // Acknowledge what was buffered, and read a heartbeat on the way.
        AgentFrame.Heartbeat beat = null;
        long acked = 0;
        while (beat == null || acked < link.outbox().highestSeq()) {
            String m = second.receive(WAIT);
            if (EventBatch.isBatch(m)) {
                acked = EventBatch.parse(m, 1 << 20).seq();
                second.send(new ServerFrame.Ack(acked));
            } else if (io.skbtrail.protocol.LinkJsonParser.agentFrame(m) instanceof AgentFrame.Heartbeat h) {
                beat = h;
            }
        }
        assertEquals(3, beat.bufferLost());
        assertEquals(3L, beat.sessions().get(0).lost().get("agent_buffer"));
        p.events.add(FakeArmer.event(6));
        EventBatch withLoss = second.receiveBatch(WAIT);
        io.skbtrail.protocol.LossRecord loss = assertInstanceOf(io.skbtrail.protocol.LossRecord.class,
                withLoss.records().get(0), withLoss.toString());
        assertEquals("agent_buffer", loss.hop());
        assertEquals(3, loss.count());
    }

    @Test
    void aRefusedTokenEndsTheAgentWithStatusOne() throws Exception {
        Future<Integer> exit = run("wrong", 1000);
        assertEquals(AgentLink.EXIT_FAILURE, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(log().contains("skbtrail-agent: server refused the token (HTTP 401) at ws://127.0.0.1:"), log());
        assertTrue(!log().contains("wrong"), "the token is never logged");
    }

    @Test
    void aForbiddenHandshakeEndsTheAgentToo() throws Exception {
        server.refuseWith(403);
        assertEquals(AgentLink.EXIT_FAILURE, run().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(log().contains("server refused the token (HTTP 403)"), log());
    }

    @Test
    void otherHandshakeFailuresAreRetried() throws Exception {
        server.refuseWith(503);
        Future<Integer> exit = run();
        Thread.sleep(700);
        server.refuseWith(0);
        welcome(0, 60_000);
        assertTrue(log().contains("cannot connect to ws://127.0.0.1:"), log());
        assertTrue(log().contains("the server answered HTTP 503 instead of opening the link; retrying"), log());
        assertEquals(1, log().lines().filter(l -> l.contains("HTTP 503")).count(), "logged once: " + log());
        link.requestShutdown();
        assertEquals(AgentLink.EXIT_OK, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aRejectEndsTheAgentWithStatusOne() throws Exception {
        Future<Integer> exit = run();
        TestLinkServer.Conn conn = server.awaitConnection(WAIT);
        conn.receive(AgentFrame.Hello.class, WAIT);
        conn.send(new ServerFrame.Reject("an agent named \"node-a\" is already connected"));
        assertEquals(AgentLink.EXIT_FAILURE, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(log().contains("skbtrail-agent: the server rejected this agent: an agent named \"node-a\" is already"
                + " connected"), log());
    }

    @Test
    void hostileFramesCloseTheLinkAndTheAgentComesBack() throws Exception {
        Future<Integer> exit = run();
        TestLinkServer.Conn conn = welcome(0, 60_000);
        conn.sendText("{\"type\":\"rm -rf\"}");
        assertEquals(FrameDispatcher.PROTOCOL_ERROR, conn.awaitClosed(WAIT), log());
        conn = welcome(0, 60_000);
        conn.sendBinary(new byte[] {1, 2, 3});
        assertEquals(FrameDispatcher.PROTOCOL_ERROR, conn.awaitClosed(WAIT));
        conn = welcome(0, 60_000);
        conn.sendFragments("{\"type\":\"ping\",\"id\":1,\"pad\":\"", "x".repeat(70_000), "\"}");
        assertEquals(FrameDispatcher.PROTOCOL_ERROR, conn.awaitClosed(WAIT), "longer than any control frame");
        conn = welcome(0, 60_000);
        conn.send(new ServerFrame.Ping(5));
        assertEquals(5, conn.receive(AgentFrame.Pong.class, WAIT).id(), "still alive");
        link.requestShutdown();
        assertEquals(AgentLink.EXIT_OK, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void onShutdownEverySessionEndsAndItsLastBatchIsAcknowledgedBeforeTheExit() throws Exception {
        Future<Integer> exit = run();
        TestLinkServer.Conn conn = welcome(0, 60_000);
        conn.send(arm(4));
        conn.receive(AgentFrame.Armed.class, WAIT);
        conn.send(new ServerFrame.Start(4));
        armer.awaitProbes(4).events.add(FakeArmer.event(1));
        conn.send(new ServerFrame.Ack(conn.receiveBatch(WAIT).seq()));
        long asked = System.nanoTime();
        link.requestShutdown();
        EventBatch last = conn.receiveBatch(WAIT);
        assertEquals("stopped", last.end());
        conn.send(new ServerFrame.Ack(last.seq()));
        assertEquals(AgentLink.EXIT_OK, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - asked < 4_000_000_000L, "did not wait out the grace period");
        assertTrue(armer.probes.get(4L).closed, "detached");
        assertTrue(log().endsWith("skbtrail-agent: stopped\n"), log());
    }

    @Test
    void onShutdownWithoutAcknowledgementTheAgentGivesUpAfterTheGracePeriod() throws Exception {
        Future<Integer> exit = run();
        TestLinkServer.Conn conn = welcome(0, 60_000);
        conn.send(arm(4));
        conn.receive(AgentFrame.Armed.class, WAIT);
        conn.send(new ServerFrame.Start(4));
        armer.awaitProbes(4);
        long asked = System.nanoTime();
        link.requestShutdown();
        assertEquals("stopped", conn.receiveBatch(WAIT).end());
        assertEquals(AgentLink.EXIT_OK, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        long took = System.nanoTime() - asked;
        assertTrue(took > 4_500_000_000L && took < 8_000_000_000L, took + " ns");
        assertTrue(log().contains("stopped; the server did not acknowledge 1 batch (1 records, seq 1-1)"), log());
    }

    @Test
    void anArmAnsweredWhileTheLinkIsDownIsSentAfterTheNextWelcome() throws Exception {
        armer.slowArm = true;
        run();
        TestLinkServer.Conn first = welcome(0, 60_000);
        first.send(arm(4));
        Thread.sleep(100);
        first.drop();
        Thread.sleep(100);
        armer.slowArm = false;
        TestLinkServer.Conn second = server.awaitConnection(WAIT);
        second.receive(AgentFrame.Hello.class, WAIT);
        Thread.sleep(200); // armed while no server listens
        second.send(new ServerFrame.Welcome(3, 0, 60_000));
        assertEquals(4, second.receive(AgentFrame.Armed.class, WAIT).session());
    }
}
