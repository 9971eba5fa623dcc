package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.cli.SessionTracing;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.TestBackend;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sessions of {@code connect} armed for real (the agent's backend, tracepoints on this machine) on traffic
 * between two network namespaces, their batches collected from the outbox as the server would get them
 * (no network): the tuple, the limit, the deadline, stop, an update, and refusals with the CLI's words.
 */
@Tag("kernel")
class SessionKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static NetnsLab lab;
    private static String a;
    private static String b;
    private static String idle;
    private static NetnsLab.End endB;
    private static SessionTracing tracing;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(logged, true, StandardCharsets.UTF_8);
    private final Outbox outbox = new Outbox(100_000);
    private final List<AgentFrame> replies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void hosts() throws Exception {
        lab = new NetnsLab();
        a = lab.host("a");
        b = lab.host("b");
        idle = lab.host("idle");
        endB = lab.link(a, b, 7)[1];
        tracing = SessionTracing.forThisHost(TestBackend.current().agentArgs().get(1), System.err);
        // as connect does before its first session: the sessions below arm after it
        assertNull(tracing.warmUp(), "the probes load on this host");
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    private SessionContext context(FilterScope agentScope, ScheduledExecutorService scheduler, ExecutorService updates) {
        List<String> agentArgs = TestBackend.current().isKprobe()
                ? List.of("--filter-func=" + TestBackend.current().agentArgs().get(3)) : List.of();
        return new SessionContext(tracing, agentScope, agentArgs, SessionArgs.NSFS_INODES, 4096, 50, outbox,
                replies::add, scheduler, updates, new AgentLog(err));
    }

    private <T> T withSession(ServerFrame.Arm arm, FilterScope agentScope, SessionScenario<T> scenario) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService updates = Executors.newSingleThreadExecutor();
        Session session = new Session(arm, context(agentScope, scheduler, updates));
        try {
            session.begin();
            return scenario.run(session);
        } finally {
            session.stop("stopped");
            assertTrue(session.await(Duration.ofMinutes(2)), "the session detached");
            scheduler.shutdownNow();
            updates.shutdownNow();
        }
    }

    interface SessionScenario<T> {
        T run(Session session) throws Exception;
    }

    private AgentFrame awaitReply(long session) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (AgentFrame f : replies) {
                if ((f instanceof AgentFrame.Armed armed && armed.session() == session)
                        || (f instanceof AgentFrame.ArmFailed failed && failed.session() == session)) {
                    return f;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("session " + session + " was not answered: " + logged.toString(StandardCharsets.UTF_8));
    }

    /** The batches sealed so far, parsed as the server parses them. */
    private List<EventBatch> batches(long session) {
        return outbox.unacked().stream().filter(s -> s.session() == session)
                .map(s -> EventBatch.parse(s.text(), 1 << 20)).toList();
    }

    private List<Event> events(long session) {
        return batches(session).stream().flatMap(x -> x.records().stream())
                .filter(Event.class::isInstance).map(Event.class::cast).toList();
    }

    /** Sends UDP datagrams from A to B's port until an event satisfies {@code wanted}. */
    private boolean sendUntil(long session, int port, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            NetnsLab.tryExec(a, "echo probe > /dev/udp/" + endB.ipv4() + "/" + port);
            Thread.sleep(100);
            if (events(session).stream().anyMatch(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static Predicate<Event> toB(int port) {
        return e -> e.tuple() != null && endB.ipv4().equals(e.tuple().daddr()) && e.tuple().dport() == port
                && "udp".equals(e.tuple().proto());
    }

    private static EventBatch last(List<EventBatch> batches) {
        return batches.get(batches.size() - 1);
    }

    @Test
    void armedStartedAndStoppedTheBatchesCarryTheTupleAndEndWithTheSummary() throws Exception {
        withSession(new ServerFrame.Arm(1, "udp and dst port 9999", Map.of("filter-netns", "/run/netns/" + b), 0, null),
                FilterScope.ANY, session -> {
                    AgentFrame.Armed armed = assertInstanceOf(AgentFrame.Armed.class, awaitReply(1));
                    assertTrue(armed.probes() > 0);
                    assertEquals(tracing.backendName(), armed.backend());
                    session.start();
                    assertTrue(sendUntil(1, 9999, toB(9999)), "no event for the datagram: " + events(1));
                    AgentFrame.SessionStatus status = session.status();
                    assertEquals("tracing", status.state());
                    assertTrue(status.matched() > 0 && status.sent() > 0, status.toString());
                    assertTrue(status.lost().containsKey("kernel_ringbuf") && status.lost().containsKey("agent_buffer"),
                            status.toString());
                    session.stop("stopped");
                    assertTrue(session.await(WAIT));
                    return null;
                });
        List<EventBatch> batches = batches(1);
        EventBatch last = last(batches);
        assertEquals("stopped", last.end());
        assertTrue(batches.subList(0, batches.size() - 1).stream().allMatch(x -> x.end() == null));
        List<WireRecord> records = batches.stream().flatMap(x -> x.records().stream()).toList();
        SummaryRecord summary = assertInstanceOf(SummaryRecord.class, records.get(records.size() - 1));
        assertEquals(events(1).size(), summary.printed());
        assertTrue(summary.matched() >= summary.printed());
        assertEquals(0L, summary.lost().get("agent_buffer"));
        long netnsB = NetnsLab.inode(b);
        assertTrue(events(1).stream().allMatch(e -> e.netns() == netnsB), "only B's netns");
        assertTrue(events(1).stream().filter(e -> !e.func().equals("net:net_dev_xmit")).allMatch(toB(9999)),
                "only the filter's packets: " + events(1));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("session 1: ended (stopped): matched"),
                logged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void maxEventsEndsTheSessionWithLimitAndASummary() throws Exception {
        withSession(new ServerFrame.Arm(2, "udp and dst port 9998", Map.of(), 3, null), FilterScope.ANY, session -> {
            assertInstanceOf(AgentFrame.Armed.class, awaitReply(2));
            session.start();
            sendUntil(2, 9998, e -> session.finished());
            assertTrue(session.await(WAIT), "the session ends on its own");
            return null;
        });
        List<EventBatch> batches = batches(2);
        assertEquals("limit", last(batches).end());
        assertEquals(3, events(2).size());
        List<WireRecord> records = batches.stream().flatMap(x -> x.records().stream()).toList();
        SummaryRecord summary = assertInstanceOf(SummaryRecord.class, records.get(records.size() - 1));
        assertEquals(3, summary.printed());
    }

    @Test
    void theDeadlineEndsTheSession() throws Exception {
        withSession(new ServerFrame.Arm(3, "udp and dst port 9997", Map.of(), 0, Instant.now().plusSeconds(3)),
                FilterScope.ANY, session -> {
                    assertInstanceOf(AgentFrame.Armed.class, awaitReply(3));
                    session.start();
                    assertTrue(session.await(WAIT));
                    return null;
                });
        assertEquals("deadline", last(batches(3)).end());
    }

    @Test
    void anUpdateMovesTheNetnsFilterWithoutReloading() throws Exception {
        withSession(new ServerFrame.Arm(4, "udp and dst port 9996", Map.of("filter-netns", "/run/netns/" + idle), 0,
                null), FilterScope.ANY, session -> {
                    assertInstanceOf(AgentFrame.Armed.class, awaitReply(4));
                    session.start();
                    for (int i = 0; i < 5; i++) {
                        NetnsLab.tryExec(a, "echo probe > /dev/udp/" + endB.ipv4() + "/9996");
                    }
                    Thread.sleep(300);
                    assertEquals(List.of(), events(4), "no traffic in the idle netns");
                    session.update(Map.of("filter-netns", "/run/netns/" + b));
                    assertTrue(sendUntil(4, 9996, toB(9996)), logged.toString(StandardCharsets.UTF_8));
                    return null;
                });
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("session 4: updated {filter-netns=/run/netns/"));
    }

    @Test
    void refusalsUseTheWordsOfTheCli() throws Exception {
        AgentFrame.ArmFailed syntax = withSession(new ServerFrame.Arm(5, "udp and dst port", Map.of(), 0, null),
                FilterScope.ANY, session -> assertInstanceOf(AgentFrame.ArmFailed.class, awaitReply(5)));
        assertFalse(syntax.reason().isBlank());
        assertTrue(syntax.reason().contains("syntax error") || syntax.reason().contains("port"), syntax.reason());

        AgentFrame.ArmFailed ifname = withSession(new ServerFrame.Arm(6, "", Map.of("filter-netns", "/run/netns/" + b,
                "filter-ifname", "nosuch0"), 0, null), FilterScope.ANY,
                session -> assertInstanceOf(AgentFrame.ArmFailed.class, awaitReply(6)));
        assertTrue(ifname.reason().startsWith("--filter-ifname nosuch0: no such interface in netns /run/netns/" + b),
                ifname.reason());

        AgentFrame.ArmFailed differ = withSession(new ServerFrame.Arm(7, "", Map.of("filter-netns", "/run/netns/" + b),
                0, null), new FilterScope("/run/netns/" + a, null),
                session -> assertInstanceOf(AgentFrame.ArmFailed.class, awaitReply(7)));
        assertTrue(differ.reason().endsWith("differ: no packet can be in both"), differ.reason());

        // The same netns given by path and by inode is one scope: armed.
        withSession(new ServerFrame.Arm(8, "udp", Map.of("filter-netns", "inode:" + NetnsLab.inode(b)), 0, null),
                new FilterScope("/run/netns/" + b, endB.ifname()),
                session -> assertInstanceOf(AgentFrame.Armed.class, awaitReply(8)));
        assertTrue(batches(5).isEmpty() && batches(6).isEmpty() && batches(7).isEmpty(), "no batches without probes");
    }
}
