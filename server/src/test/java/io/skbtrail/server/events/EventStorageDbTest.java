package io.skbtrail.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.WireRecord;
import io.skbtrail.server.agents.AgentLinkHandler;
import io.skbtrail.server.ServerIntegrationTest;
import io.skbtrail.server.agents.HostService;
import io.skbtrail.server.sessions.SessionRequest;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sessions.SessionSummaries;
import io.skbtrail.server.sessions.SessionViews;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Event batches into a real PostgreSQL with COPY, and back out through the paged query and the summary. */
class EventStorageDbTest extends ServerIntegrationTest {
    private static final String BOOT = "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10";

    @Autowired HostService hosts;
    @Autowired SessionService sessions;
    @Autowired SessionSummaries summaries;
    @Autowired EventIngest ingest;
    @Autowired EventQuery query;
    @Autowired ObjectMapper json;
    @Autowired io.skbtrail.server.agents.AgentTokens tokens;

    private long host(String name, String incarnation) {
        return hosts.hello(new AgentFrame.Hello(1, name, Map.of("zone", "z1"), incarnation, BOOT, "6.18", "amd64",
                "0.1.0", "tracepoint", List.of(), 8, List.of()), tokens.create(null, "test", "tester").token().getId())
                .host().getId();
    }

    private static Event event(long seq, String saddr, String dropReason, long packet) {
        return Event.builder().time(Instant.parse("2026-11-25T10:00:00Z").plusMillis(seq)).ktimeNs(1000 + seq)
                .bootId(BOOT).seq(seq).cpu(1).process("curl").pid(42).skb("0xffff8b7d9462c600").packetId(packet)
                .probeType(Event.ProbeType.TRACEPOINT).func(dropReason == null ? "net:netif_receive_skb" : "skb:kfree_skb")
                .dropReason(dropReason).netns(4026531840L).mark(0).ifindex(2).iface("veth0").proto(2048).mtu(1500)
                .len(60).tuple(saddr, 40000, "10.231.1.2", 8080, "tcp").stack(List.of("a\tb", "c\"d"))
                .packet("4500").build();
    }

    private static EventBatch batch(long seq, long session, List<WireRecord> records) {
        return new EventBatch(seq, session, null, records);
    }

    @Test
    void storesEachBatchOnceAndPagesThroughItsEventsInTimeOrder() {
        String incarnation = UUID.randomUUID().toString();
        long host = host("store-" + incarnation.substring(0, 8), incarnation);
        String name = hosts.byId(host).orElseThrow().getName();
        long session = sessions.create(new SessionRequest("tcp", List.of(name), null, null, null, null), "tester");

        EventBatch first = batch(1, session, List.of(event(1, "10.231.1.1", null, 7),
                event(2, "10.231.1.1", "NO_SOCKET", 7), new LossRecord(Instant.now(), "kernel_ringbuf", 5, 5),
                event(3, "192.168.9.9", null, 8)));
        assertEquals(new EventIngest.Stored(false, 3), ingest.store(host, incarnation, first));
        assertEquals(new EventIngest.Stored(true, 0), ingest.store(host, incarnation, first), "a resend is dropped");
        assertEquals(3L, jdbc.queryForObject("select count(*) from events where session_id = ?", Long.class, session));

        Map<Long, String> names = Map.of(host, name);
        JsonNode page1 = json.readTree(query.page(session, filter(null, null, null, 2), names));
        assertEquals(2, page1.get("events").size());
        assertEquals(1, page1.get("events").get(0).get("seq").asLong());
        assertEquals(name, page1.get("events").get(0).get("host").asString());
        assertEquals(session, page1.get("events").get(0).get("session").asLong());
        assertEquals("a\tb", page1.get("events").get(0).get("stack").get(0).asString(), "COPY escaping round-trips");
        assertEquals("c\"d", page1.get("events").get(0).get("stack").get(1).asString());
        assertEquals("0xffff8b7d9462c600", page1.get("events").get(0).get("skb").asString());
        JsonNode page2 = json.readTree(query.page(session, filter(null, null, page1.get("next").asString(), 2), names));
        assertEquals(1, page2.get("events").size());
        assertEquals(3, page2.get("events").get(0).get("seq").asLong());
        assertTrue(page2.get("next").isNull());

        JsonNode drops = json.readTree(query.page(session, filter("*", null, null, 10), names));
        assertEquals(1, drops.get("events").size());
        assertEquals("NO_SOCKET", drops.get("events").get(0).get("drop_reason").asString());
        JsonNode bySource = json.readTree(query.page(session, filter(null, "10.231.0.0/16", null, 10), names));
        assertEquals(2, bySource.get("events").size());

        SessionViews.Summary summary = summaries.of(sessions.get(session));
        assertEquals(3, summary.events());
        assertEquals(1, summary.drops());
        assertEquals(Map.of("NO_SOCKET", 1L), summary.dropsByReason());
        assertEquals(Map.of("kernel_ringbuf", 5L), summary.hosts().get(0).lost());
    }

    @Test
    void refusesAValuePostgresqlWouldRejectBeforeWritingAnything() {
        String incarnation = UUID.randomUUID().toString();
        long host = host("hostile-" + incarnation.substring(0, 8), incarnation);
        String name = hosts.byId(host).orElseThrow().getName();
        long session = sessions.create(new SessionRequest("", List.of(name), null, null, null, null), "tester");
        EventBatch bad = batch(1, session, List.of(event(1, "10.0.0.1", null, 1), event(2, "evil.example", null, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ingest.store(host, incarnation, bad));
        assertEquals("event.tuple.saddr: not an IP address", e.getMessage());
        assertEquals(0L, jdbc.queryForObject("select count(*) from events where session_id = ?", Long.class, session));
        assertEquals(0L, hosts.byId(host).orElseThrow().getAckedSeq(), "the batch is not acknowledged");
    }

    @Test
    void refusesABatchForASessionTheHostIsNotIn() {
        String incarnation = UUID.randomUUID().toString();
        long host = host("intruder-" + incarnation.substring(0, 8), incarnation);
        long other = host("other-" + incarnation.substring(0, 8), UUID.randomUUID().toString());
        long session = sessions.create(new SessionRequest("", List.of(hosts.byId(other).orElseThrow().getName()),
                null, null, null, null), "tester");
        List<WireRecord> records = new ArrayList<>(List.of(event(1, "10.0.0.1", null, 1)));
        AgentLinkHandler.ProtocolViolation e = assertThrows(AgentLinkHandler.ProtocolViolation.class,
                () -> ingest.store(host, incarnation, batch(1, session, records)));
        assertTrue(e.getMessage().contains("never asked to trace"), e.getMessage());
        assertFalse(jdbc.queryForObject("select count(*) > 0 from events where session_id = ?", Boolean.class, session));
    }

    private static EventFilter filter(String dropReason, String saddr, String after, int limit) {
        EventCriteria criteria = EventCriteria.parse(EventCriteria.raw(null, null, dropReason, saddr, null, null, null,
                null), name -> null);
        return new EventFilter(new EventFilter.Params(criteria, null, null, after, limit));
    }

    @Test
    void batchesAreStoredWhileTheHostsClockIsRefreshedWithoutDeadlockingEachOther() throws Exception {
        String incarnation = UUID.randomUUID().toString();
        long host = host("clock-" + incarnation.substring(0, 8), incarnation);
        String name = hosts.byId(host).orElseThrow().getName();
        long session = sessions.create(new SessionRequest("tcp", List.of(name), null, null, null, null), "tester");
        // What arming does: the host traces the session, so each clock sample also goes to its session row.
        jdbc.update("update session_hosts set state = 'tracing' where session_id = ? and host_id = ?", session, host);
        int batches = 300;
        AtomicBoolean storing = new AtomicBoolean(true);
        AtomicLong refreshes = new AtomicLong();
        CompletableFuture<Void> clock = CompletableFuture.runAsync(() -> {
            for (long uncertainty = 10_000_000; storing.get(); uncertainty--) {
                hosts.refresh(host, Instant.now(), new long[] {1_000, uncertainty});
                refreshes.incrementAndGet();
            }
        });
        long slowest = 0;
        for (long seq = 1; seq <= batches; seq++) {
            long started = System.nanoTime();
            ingest.store(host, incarnation, batch(seq, session, List.of(event(2 * seq, "10.231.1.1", null, seq),
                    event(2 * seq + 1, "10.231.1.1", null, seq))));
            slowest = Math.max(slowest, System.nanoTime() - started);
        }
        storing.set(false);
        clock.get(); // a deadlock aborts one side after PostgreSQL's deadlock_timeout: it would throw here or above
        assertTrue(refreshes.get() > 0);
        assertEquals(2L * batches, jdbc.queryForObject("select count(*) from events where session_id = ?", Long.class,
                session));
        System.out.printf("clock refreshes: %d beside %d batches, slowest batch %.1f ms%n", refreshes.get(), batches,
                slowest / 1e6);
    }
}
