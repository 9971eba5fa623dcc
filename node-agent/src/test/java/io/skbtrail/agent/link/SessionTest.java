package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A session's life with fake probes: arming, limits, deadline, stop, failure, updates; and the registry. */
@Tag("unit")
class SessionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Outbox outbox = new Outbox(10_000);
    private final List<AgentFrame> replies = new CopyOnWriteArrayList<>();
    private final FakeArmer armer = new FakeArmer();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService updates = Executors.newSingleThreadExecutor();
    private final SessionContext ctx = new SessionContext(armer, FilterScope.ANY, List.of(), spec -> 1, 4096, 20,
            outbox, replies::add, scheduler, updates, new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
        updates.shutdownNow();
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static ServerFrame.Arm arm(long id, long maxEvents, Instant deadline) {
        return new ServerFrame.Arm(id, "udp and dst port 9999", Map.of("output-stack", "true"), maxEvents, deadline);
    }

    private Session begin(ServerFrame.Arm arm) {
        Session s = new Session(arm, ctx);
        s.begin();
        return s;
    }

    private <T extends AgentFrame> T awaitReply(Class<T> type) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            for (AgentFrame f : replies) {
                if (type.isInstance(f)) {
                    return type.cast(f);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + type.getSimpleName() + " among " + replies);
    }

    private List<EventBatch> batches() {
        return outbox.unacked().stream().map(b -> EventBatch.parse(b.text(), 1 << 20)).toList();
    }

    private List<WireRecord> records() {
        return batches().stream().flatMap(b -> b.records().stream()).toList();
    }

    private void awaitEvents(int n) throws InterruptedException {
        for (int i = 0; i < 2000 && records().stream().filter(Event.class::isInstance).count() < n; i++) {
            Thread.sleep(5);
        }
        assertEquals(n, records().stream().filter(Event.class::isInstance).count(), records().toString());
    }

    @Test
    void armStartStop() throws Exception {
        Session s = begin(arm(4, 0, null));
        AgentFrame.Armed armed = awaitReply(AgentFrame.Armed.class);
        assertEquals(new AgentFrame.Armed(4, "fake", 3, List.of("tcp:tcp_bad_csum: not in this kernel")), armed);
        assertEquals(Session.State.ARMED, s.state());
        assertEquals(List.of("--output-stack=true", "--output-json", "--", "udp and dst port 9999"), armer.armedWith.get(0));
        FakeArmer.Probes p = armer.awaitProbes(4);
        assertFalse(p.enabled, "idle until start");

        assertTrue(s.start());
        for (int i = 1; i <= 3; i++) {
            p.events.add(FakeArmer.event(i));
        }
        awaitEvents(3);
        assertTrue(p.enabled);
        assertEquals(Session.State.TRACING, s.state());
        assertNull(batches().get(0).end(), "sealed within --batch-millis while tracing");
        AgentFrame.SessionStatus tracing = s.status();
        assertEquals("tracing", tracing.state());
        assertEquals(3, tracing.sent());
        assertEquals(0L, tracing.lost().get("agent_buffer"));

        s.stop("stopped");
        assertTrue(s.await(WAIT));
        List<EventBatch> batches = batches();
        EventBatch last = batches.get(batches.size() - 1);
        assertEquals("stopped", last.end());
        SummaryRecord summary = assertInstanceOf(SummaryRecord.class, last.records().get(last.records().size() - 1));
        assertEquals(3, summary.printed());
        assertEquals(0L, summary.lost().get("agent_buffer"), "the agent's own hop is in the summary");
        assertTrue(batches.stream().limit(batches.size() - 1).allMatch(b -> b.end() == null), "only the last has an end");
        assertTrue(p.closed, "detached");
        assertEquals(Session.State.DONE, s.state());
        assertEquals("done", s.status().state());
        assertTrue(log().contains("session 4: ended (stopped): matched 3"), log());
    }

    @Test
    void maxEventsEndsTheSessionWithLimit() throws Exception {
        Session s = begin(arm(5, 3, null));
        FakeArmer.Probes p = armer.awaitProbes(5);
        s.start();
        for (int i = 1; i <= 6; i++) {
            p.events.add(FakeArmer.event(i));
        }
        assertTrue(s.await(WAIT), "the session ends on its own");
        List<WireRecord> records = records();
        assertEquals(3, records.stream().filter(Event.class::isInstance).count());
        assertEquals("limit", batches().get(batches().size() - 1).end());
        assertInstanceOf(SummaryRecord.class, records.get(records.size() - 1));
    }

    @Test
    void theDeadlineEndsTheSessionServerOrNoServer() throws Exception {
        Session s = begin(arm(6, 0, Instant.now().plusMillis(300)));
        armer.awaitProbes(6);
        s.start();
        assertTrue(s.await(WAIT));
        assertEquals("deadline", batches().get(batches().size() - 1).end());
    }

    @Test
    void aDeadlineAlreadyPastEndsTheSessionAfterArming() throws Exception {
        Session s = begin(arm(7, 0, Instant.now().minusSeconds(1)));
        assertTrue(s.await(WAIT));
        assertEquals("deadline", batches().get(0).end());
        assertFalse(armer.probes.get(7L).enabled);
    }

    @Test
    void stoppedBeforeStartEndsWithAnEmptySummary() throws Exception {
        Session s = begin(arm(8, 0, null));
        FakeArmer.Probes p = armer.awaitProbes(8);
        awaitReply(AgentFrame.Armed.class);
        s.stop("stopped");
        assertTrue(s.await(WAIT));
        assertFalse(p.enabled, "never traced");
        EventBatch only = batches().get(0);
        assertEquals("stopped", only.end());
        assertEquals(1, only.records().size());
        assertEquals(0, ((SummaryRecord) only.records().get(0)).matched());
        assertFalse(s.start(), "no start after the end");
    }

    @Test
    void aRefusedArmAnswersWithTheReasonAndLeavesNoBatch() throws Exception {
        armer.refusal = "--filter-ifname eth9: no such interface in netns /run/netns/x";
        Session s = begin(arm(9, 0, null));
        assertEquals(new AgentFrame.ArmFailed(9, armer.refusal), awaitReply(AgentFrame.ArmFailed.class));
        assertTrue(s.await(WAIT));
        assertTrue(outbox.isEmpty());
        assertEquals("done", s.status().state());
    }

    @Test
    void optionsOutsideTheWhitelistFailTheArm() throws Exception {
        Session s = begin(new ServerFrame.Arm(10, "", Map.of("output-file", "/etc/passwd"), 0, null));
        AgentFrame.ArmFailed failed = awaitReply(AgentFrame.ArmFailed.class);
        assertTrue(failed.reason().startsWith("unknown option \"output-file\""), failed.reason());
        assertTrue(armer.armedWith.isEmpty(), "nothing was armed");
        assertTrue(s.await(WAIT));
    }

    @Test
    void stoppedWhileArming() throws Exception {
        armer.slowArm = true;
        Session s = begin(arm(11, 0, null));
        Thread.sleep(50);
        s.stop("stopped");
        assertEquals("the session was stopped while arming", awaitReply(AgentFrame.ArmFailed.class).reason());
        assertTrue(s.await(WAIT));
    }

    @Test
    void tracingThatFailsEndsWithFailedAfterWhatItHad() throws Exception {
        Session s = begin(arm(12, 0, null));
        FakeArmer.Probes p = armer.awaitProbes(12);
        s.start();
        p.events.add(FakeArmer.event(1));
        awaitEvents(1);
        p.failTracing = true;
        assertTrue(s.await(WAIT));
        List<EventBatch> batches = batches();
        assertEquals("failed", batches.get(batches.size() - 1).end());
        assertEquals(1, records().stream().filter(Event.class::isInstance).count());
        assertTrue(p.closed);
        assertTrue(log().contains("session 12: tracing failed: java.io.IOException: the ring buffer went away"), log());
    }

    @Test
    void anUpdateChangesOnlyTheInKernelFilters() throws Exception {
        Session s = begin(arm(13, 0, null));
        FakeArmer.Probes p = armer.awaitProbes(13);
        awaitReply(AgentFrame.Armed.class);
        s.update(Map.of("filter-mark", "0x2"));
        s.update(Map.of("output-stack", "false"));
        for (int i = 0; i < 1000 && !log().contains("update refused"); i++) {
            Thread.sleep(5);
        }
        assertEquals(List.of(List.of("--filter-mark=0x2", "--output-stack=true", "--output-json", "--",
                "udp and dst port 9999")), p.updates);
        assertTrue(log().contains("session 13: updated {filter-mark=0x2}"), log());
        assertTrue(log().contains("session 13: update refused: option \"output-stack\" cannot change"), log());
        s.stop("stopped");
        assertTrue(s.await(WAIT));
    }

    @Test
    void theRegistryKeepsToMaxSessionsAnswersRepeatsAndForgetsWhatTheServerHas() throws Exception {
        Sessions sessions = new Sessions(ctx, 2);
        sessions.arm(arm(1, 0, null));
        sessions.arm(arm(2, 0, null));
        armer.awaitProbes(1);
        armer.awaitProbes(2);
        sessions.arm(arm(3, 0, null));
        AgentFrame.ArmFailed full = awaitReply(AgentFrame.ArmFailed.class);
        assertEquals(3, full.session());
        assertEquals("this agent runs 2 sessions, its maximum; stop one first", full.reason());

        for (int i = 0; i < 1000 && replies.stream().filter(AgentFrame.Armed.class::isInstance).count() < 2; i++) {
            Thread.sleep(5);
        }
        sessions.arm(arm(1, 0, null)); // the server did not hear the answer: the same again, nothing re-armed
        assertEquals(3, replies.stream().filter(AgentFrame.Armed.class::isInstance).count());
        assertEquals(2, armer.armedWith.size());
        assertEquals(List.of(1L, 2L), sessions.ids());

        sessions.start(77);
        assertTrue(log().contains("session 77: start ignored: no such session on this agent"), log());

        sessions.stop(1);
        assertTrue(sessions.get(1).await(WAIT));
        assertEquals(List.of(1L, 2L), sessions.ids(), "session 1 has unacknowledged batches");
        assertEquals("done", sessions.statuses().get(0).state());
        outbox.ack(outbox.highestSeq());
        assertEquals(List.of(2L), sessions.ids());
        assertEquals(List.of(2L), sessions.statuses().stream().map(AgentFrame.SessionStatus::session).toList(),
                "reported done once, all acknowledged: forgotten");
        sessions.arm(arm(1, 0, null));
        assertEquals(4, replies.stream().filter(AgentFrame.Armed.class::isInstance).count(),
                "a forgotten session is still answered, not armed again");
        assertEquals(2, armer.armedWith.size());

        sessions.arm(arm(3, 0, null));
        armer.awaitProbes(3);
        sessions.stopAll("stopped");
        sessions.arm(arm(4, 0, null));
        assertTrue(replies.contains(new AgentFrame.ArmFailed(4, "the agent is stopping")));
        sessions.awaitAll(WAIT);
        assertTrue(sessions.allFinished());
    }
}
