package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.agents.Clocks;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A host whose clock runs 250 ms ahead, made by the server's test-only stand-in
 * ({@code skbtrail.test.clock-skew-stand-in.journey-skewed-router}, see ServerIntegrationTest): its events and its
 * pongs arrive shifted, as from a real host with a wrong clock. The journey must put its events back on the common
 * clock within the uncertainty it states, keep the hosts in the packet's order, and never show the packet arriving
 * before it left.
 */
class ClockSkewDbTest extends JourneyTestBase {
    private static final long SKEW_NS = 250_000_000L;

    @Test
    void aSkewedHostsEventsAreAlignedWithinTheStatedUncertaintyAndInCausalOrder() throws InterruptedException {
        try (Hosts hosts = new Hosts("a", "router=journey-skewed-router", "b")) {
            hosts.keepAnsweringPings();
            eventually("every host's clock measured and stored", () -> {
                for (String name : hosts.names.values()) {
                    if (jdbc.queryForObject("select clock_offset_ns from hosts where name = ?", Long.class, name) == null) {
                        return false;
                    }
                }
                return true;
            });
            long session = hosts.session();
            eventually("the session's clocks", () -> jdbc.queryForObject("select count(*) from session_hosts"
                    + " where session_id = ? and clock_offset_ns is not null", Long.class, session) == 3);
            // The estimate keeps the best ping of the last sixteen (one every 2 s): give it a few, on a loaded machine.
            long until = System.nanoTime() + 8_000_000_000L;
            while (System.nanoTime() < until && jdbc.queryForObject("select max(clock_uncertainty_ns) from session_hosts"
                    + " where session_id = ?", Long.class, session) > 5_000_000L) {
                Thread.sleep(200);
            }
            Instant t0 = Instant.now();
            HostPath a = path(1, t0).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(321, null, null, 5, 0x99L, 5)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath router = path(1, t0.plusNanos(20_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(321, null, null, 5, 0x99L, 5)
                    .steps("net:netif_receive_skb", "net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath b = path(1, t0.plusNanos(40_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(321, null, null, 5, 0x99L, 5).steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec");
            hosts.send("a", session, a.events());
            hosts.send("router", session, router.events());
            hosts.send("b", session, b.events());
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 1);
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), "journey-skewed-router", hosts.name("b"));
            JsonNode lane = j.get("lanes").get(1);
            long uncertainty = lane.get("clockUncertaintyNs").asLong();
            assertThat(uncertainty).as("the bound is well below the skew it corrects").isLessThan(SKEW_NS / 2);
            assertThat(Math.abs(lane.get("clockOffsetNs").asLong() - SKEW_NS)).isLessThanOrEqualTo(uncertainty);
            long storedFirst = Clocks.epochNanos(Instant.parse(lane.get("events").get(0).get("time").asString()));
            assertThat(storedFirst - Clocks.epochNanos(t0)).as("the skew is in the stored times").isGreaterThan(200_000_000L);
            int checked = 0;
            for (JsonNode e : lane.get("events")) {
                long stored = Clocks.epochNanos(Instant.parse(e.get("time").asString()));
                long trueNs = stored - SKEW_NS;
                assertThat(Math.abs(e.get("alignedNs").asLong() - trueNs))
                        .as("aligned within the stated ±%d ns", uncertainty).isLessThanOrEqualTo(uncertainty);
                checked++;
            }
            assertThat(checked).isEqualTo(3);
            for (JsonNode w : j.get("wire")) {
                assertThat(w.get("minNs").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(w.get("ns").asLong()).isGreaterThanOrEqualTo(w.get("minNs").asLong());
                assertThat(w.get("ns").asLong()).isLessThanOrEqualTo(w.get("maxNs").asLong());
            }
            JsonNode toRouter = j.get("wire").get(0);
            assertThat(toRouter.get("to").asString()).isEqualTo("journey-skewed-router");
            long trueWire = 18_000; // start_xmit on a at t0 + 2 µs, first event on the router at t0 + 20 µs
            assertThat(toRouter.get("minNs").asLong()).isLessThanOrEqualTo(trueWire);
            assertThat(toRouter.get("maxNs").asLong()).isGreaterThanOrEqualTo(trueWire);
        }
    }
}
