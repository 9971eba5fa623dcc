package io.skbtrail.server.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * One trace on three hosts, end to end: a real server process (embedded PostgreSQL), three real agent
 * processes each standing for a host by watching one network namespace, real probes in this kernel, and
 * UDP from h1 through h2 to h3, where iptables drops it.
 */
@Tag("kernel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTraceKernelTest {
    private static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new Fleet();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void oneSessionOnThreeHostsStoresEachHostsPartWithTheDropOnTheRightHost() throws Exception {
        long session = fleet.startSession(",\"durationSeconds\":300");
        fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        fleet.sendDropped(5);
        fleet.await("5 drops stored on h3", Duration.ofSeconds(20),
                () -> fleet.events(session, "h3", "dropReason=*").size() >= 5);

        List<JsonNode> h3Drops = fleet.events(session, "h3", "dropReason=*");
        assertEquals(5, h3Drops.size(), "one drop per datagram, on h3");
        for (JsonNode e : h3Drops) {
            assertEquals("NETFILTER_DROP", e.get("drop_reason").asString());
            assertEquals(Fleet.H3_ADDRESS, e.get("tuple").get("daddr").asString());
            assertEquals(Fleet.DROPPED_PORT, e.get("tuple").get("dport").asInt());
            assertEquals(fleet.hostName("h3"), e.get("host").asString());
            assertEquals(session, e.get("session").asLong());
        }
        for (String role : List.of("h1", "h2")) {
            List<JsonNode> events = fleet.events(session, role, "");
            assertTrue(events.size() >= 5, role + " saw the datagrams pass: " + events.size());
            assertEquals(0, Fleet.count(events, e -> "NETFILTER_DROP".equals(e.get("drop_reason").asString(null))),
                    role + " dropped nothing");
        }
        assertTrue(Fleet.count(fleet.events(session, "h2", ""), e -> e.get("func").asString().equals("net:net_dev_xmit")) >= 5,
                "h2 forwarded each datagram");

        JsonNode summary = fleet.stopAndAwait(session);
        JsonNode h3 = Fleet.hostSummary(summary, fleet.hostName("h3"));
        assertEquals(5, h3.get("dropsByReason").get("NETFILTER_DROP").asLong());
        for (String role : List.of("h1", "h2", "h3")) {
            JsonNode host = Fleet.hostSummary(summary, fleet.hostName(role));
            assertEquals("done", host.get("state").asString(), role);
            assertEquals("stopped", host.get("endReason").asString(), role);
            assertEquals(0, host.get("gaps").size(), role + " had no gap");
            assertTrue(host.get("summary").get("matched").asLong() >= host.get("events").asLong(), role);
        }
        assertEquals(summary.get("events").asLong(), fleet.session(session).get("events").asLong());
    }

    @Test
    @Order(2)
    void anAgentKilledAndRestartedMidSessionShowsAGapAndTheRestOnce() throws Exception {
        long session = fleet.startSession("");
        fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        fleet.sendDropped(3);
        fleet.await("h2 saw 3 datagrams", Duration.ofSeconds(20), () -> forwarded(session) >= 3);

        fleet.agents.get("h2").kill();
        Instant killed = Instant.now();
        fleet.await("h2 offline in the session", Duration.ofSeconds(20),
                () -> "offline".equals(fleet.hostState(session, "h2")));
        fleet.sendDropped(3);
        fleet.startAgent("h2");
        fleet.awaitTracing(session, List.of("h2"));
        Instant rearmed = Instant.now();
        fleet.sendDropped(3);
        fleet.await("9 drops on h3", Duration.ofSeconds(20), () -> fleet.events(session, "h3", "dropReason=*").size() >= 9);
        fleet.await("h2 saw the last 3", Duration.ofSeconds(20), () -> forwarded(session) >= 6);

        JsonNode summary = fleet.stopAndAwait(session);
        JsonNode gaps = Fleet.hostSummary(summary, fleet.hostName("h2")).get("gaps");
        assertEquals(1, gaps.size(), "one gap on h2: " + gaps);
        Instant from = Instant.parse(gaps.get(0).get("from").asString());
        Instant to = Instant.parse(gaps.get(0).get("to").asString());
        assertTrue(!from.isAfter(killed) && !to.isBefore(from) && !to.isAfter(rearmed.plusSeconds(1)),
                "gap " + from + ".." + to + " around the kill at " + killed + " and re-arm at " + rearmed);
        assertTrue(gaps.get(0).get("reason").asString().contains("restarted"), gaps.toString());
        assertEquals(0, Fleet.hostSummary(summary, fleet.hostName("h1")).get("gaps").size());
        assertEquals(0, Fleet.hostSummary(summary, fleet.hostName("h3")).get("gaps").size());
        assertEquals(6, forwarded(session), "h2 forwarded 3 before the kill and 3 after, each stored once");
        assertEquals(9, fleet.events(session, "h3", "dropReason=*").size(), "h3 never stopped: 9 drops, once each");
        assertNoDuplicates(session);
    }

    @Test
    @Order(3)
    void theServerKilledMidSessionLosesNothingTheAgentsHeld() throws Exception {
        long session = fleet.startSession("");
        fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        fleet.sendDropped(3);
        fleet.await("3 drops on h3", Duration.ofSeconds(20), () -> fleet.events(session, "h3", "dropReason=*").size() >= 3);

        fleet.server.kill();
        fleet.sendDropped(4);
        fleet.server.start();
        fleet.awaitOnline(List.of("h1", "h2", "h3"));
        fleet.sendDropped(3);
        fleet.await("10 drops on h3", Duration.ofSeconds(30),
                () -> fleet.events(session, "h3", "dropReason=*").size() >= 10);

        JsonNode summary = fleet.stopAndAwait(session);
        assertEquals(10, fleet.events(session, "h3", "dropReason=*").size(), "the 4 sent while the server was down too");
        assertEquals(10, forwarded(session));
        for (String role : List.of("h1", "h2", "h3")) {
            JsonNode host = Fleet.hostSummary(summary, fleet.hostName(role));
            assertEquals(0, host.get("gaps").size(), role + ": the agent kept tracing, no gap: " + host);
            assertEquals("stopped", host.get("endReason").asString(), role);
        }
        assertNoDuplicates(session);
    }

    /** Datagrams h2 forwarded: its transmits towards h3 (net_dev_start_xmit, the hook that reads the headers). */
    private static long forwarded(long session) throws java.io.IOException, InterruptedException {
        return Fleet.count(fleet.events(session, "h2", "func=net:net_dev_start_xmit&daddr=" + Fleet.H3_ADDRESS),
                e -> e.get("iface").asString("").endsWith("a2"));
    }

    /** No event is stored twice: one identity is (host, boot, skb, kernel time, probe point). */
    private static void assertNoDuplicates(long session) throws Exception {
        for (String role : List.of("h1", "h2", "h3")) {
            Set<String> seen = new HashSet<>();
            for (JsonNode e : fleet.events(session, role, "")) {
                String id = e.get("boot_id").asString() + e.get("skb").asString() + e.get("ktime_ns").asLong()
                        + e.get("func").asString();
                assertTrue(seen.add(id), role + ": stored twice: " + e);
            }
        }
    }
}
