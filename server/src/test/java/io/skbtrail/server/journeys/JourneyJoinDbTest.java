package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How events from several hosts are joined into journeys, through the real ingest path (agent link, COPY) and
 * the API: forwarding, drops, GSO super-packets, IPv6 without an ID, NAT through conntrack's tuple, VXLAN's
 * inner packet. Every scripted host reports the same skb address and the same packet ids for different packets.
 */
class JourneyJoinDbTest extends JourneyTestBase {
    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aForwardedUdpPacketIsOneJourneyThroughThreeHostsAndADifferentPacketWithTheSameSkbAndIdIsNot() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = hosts.session();
            HostPath a = path(7, T).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(1234, null, null, 5, 0x1111L, 5)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit");
            HostPath router = path(7, T.plusNanos(10_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(1234, null, null, 5, 0x1111L, 5)
                    .steps("net:netif_receive_skb", "net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit");
            HostPath b = path(7, T.plusNanos(30_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(1234, null, null, 5, 0x1111L, 5)
                    .steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec", "skb:consume_skb@skb_consume_udp");
            // Another datagram of the flow, seen on b only, with the same skb address and b's packet id 8.
            HostPath decoy = path(8, T.plusNanos(31_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(1235, null, null, 5, 0x2222L, 5).steps("net:netif_receive_skb");
            hosts.send("a", session, a.events());
            hosts.send("router", session, router.events());
            hosts.send("b", session, all(b.events(), decoy.events()));
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 7);
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("router"), hosts.name("b"));
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            assertThat(j.get("segments").asInt()).isEqualTo(3);
            assertThat(j.get("ambiguous").asBoolean()).isFalse();
            assertThat(j.get("flow").get("saddr").asString()).isEqualTo("10.0.1.1");
            assertThat(j.get("flow").get("dport").asInt()).isEqualTo(9000);
            assertThat(j.get("flow").get("proto").asString()).isEqualTo("udp");
            assertThat(texts(j.get("match").get("by"))).contains("tuple", "ip_id", "payload_hash");
            assertThat(j.get("lanes")).hasSize(3);
            assertThat(j.get("lanes").get(2).get("events")).hasSize(3);
            assertThat(j.get("lanes").get(2).get("events").get(0).get("fp").get("ip_id").asInt()).isEqualTo(1234);
            assertThat(j.get("wire")).hasSize(2);
            for (JsonNode w : j.get("wire")) {
                assertThat(w.get("minNs").asLong()).as("a packet cannot arrive before it left").isGreaterThanOrEqualTo(0);
            }
            JsonNode decoyJourney = journeyOf(session, hosts.name("b"), 8);
            assertThat(texts(decoyJourney.get("hosts"))).containsExactly(hosts.name("b"));
            assertThat(decoyJourney.get("id").asString()).isNotEqualTo(j.get("id").asString());
        }
    }

    @Test
    void aPacketDroppedOnTheRouterEndsThereWithItsReasonAndTheListFiltersByStateReasonAndHostPair() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = hosts.session();
            HostPath a = path(9, T).tuple("10.0.1.1", 40001, "10.0.2.2", 9999, "udp").fp(77, null, null, 6, 0x33L, 6)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit");
            HostPath router = path(3, T.plusNanos(8_000)).tuple("10.0.1.1", 40001, "10.0.2.2", 9999, "udp")
                    .fp(77, null, null, 6, 0x33L, 6)
                    .steps("net:netif_receive_skb", "skb:kfree_skb!NETFILTER_DROP@nft_do_chain");
            hosts.send("a", session, a.events());
            hosts.send("router", session, router.events());
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 9);
            assertThat(j.get("state").asString()).isEqualTo("dropped");
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("router"));
            assertThat(j.get("dropHost").asString()).isEqualTo(hosts.name("router"));
            assertThat(j.get("dropReason").asString()).isEqualTo("NETFILTER_DROP");
            assertThat(j.get("dropFunc").asString()).isEqualTo("nft_do_chain");
            assertThat(j.get("dropProbe").asString()).isEqualTo("skb:kfree_skb");

            String pair = "host=" + hosts.name("a") + "&host2=" + hosts.name("router");
            assertThat(journeys(session, "state=dropped&reason=NETFILTER_DROP&" + pair).get("journeys")).hasSize(1);
            assertThat(journeys(session, "state=dropped&reason=*").get("journeys")).hasSize(1);
            assertThat(journeys(session, "state=delivered").get("journeys")).isEmpty();
            assertThat(journeys(session, "reason=NO_SOCKET").get("journeys")).isEmpty();
            assertThat(journeys(session, "host=" + hosts.name("router") + "&host2=" + hosts.name("a")).get("journeys"))
                    .as("host2 comes after host along the journey").isEmpty();
            assertThat(journeys(session, "host=" + hosts.name("b")).get("journeys")).isEmpty();
            JsonNode list = journeys(session, "");
            assertThat(list.get("join").get("complete").asBoolean()).isTrue();
            assertThat(list.get("join").get("events").asLong()).isEqualTo(5);
        }
    }

    @Test
    void wireSegmentsOfAGsoSuperPacketJoinItButARetransmissionOfTheSameBytesDoesNot() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            HostPath superPacket = path(20, T).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(500, 1000L, 77L, 3000, null, 0).steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath retransmit = path(24, T.plusMillis(1)).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(600, 2000L, 77L, 1000, null, 0).steps("net:net_dev_queue", "net:net_dev_start_xmit");
            hosts.send("a", session, all(superPacket.events(), retransmit.events()));
            HostPath first = path(21, T.plusNanos(20_000)).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(500, 1000L, 77L, 1000, null, 0).steps("net:netif_receive_skb", "tcp:tcp_probe");
            HostPath second = path(22, T.plusNanos(25_000)).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(501, 2000L, 77L, 1000, null, 0).steps("net:netif_receive_skb", "tcp:tcp_probe");
            HostPath third = path(23, T.plusNanos(30_000)).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(502, 3000L, 77L, 1000, null, 0).steps("net:netif_receive_skb", "tcp:tcp_probe");
            HostPath again = path(25, T.plusMillis(1).plusNanos(20_000)).tuple("10.0.1.1", 41000, "10.0.2.2", 8080, "tcp")
                    .fp(600, 2000L, 77L, 1000, null, 0).steps("net:netif_receive_skb", "tcp:tcp_probe");
            hosts.send("b", session, all(first.events(), second.events(), third.events(), again.events()));
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 20);
            assertThat(j.get("segments").asInt()).isEqualTo(4);
            assertThat(j.get("lanes").get(0).get("packet").asLong()).isEqualTo(20);
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("b"));
            assertThat(laneHosts(j)).containsExactly(hosts.name("a"), hosts.name("b"),
                    hosts.name("b"), hosts.name("b"));
            assertThat(texts(j.get("match").get("by"))).contains("tcp_seq_range", "tcp_seq", "ip_id");
            assertThat(texts(j.get("match").get("notes"))).anyMatch(n -> n.contains("wire segment [seq 2000, +1000 bytes)"));
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            assertThat(j.get("wire")).hasSize(3);

            JsonNode retransmitted = journeyOf(session, hosts.name("b"), 25);
            assertThat(lanePackets(retransmitted)).containsExactly(24L, 25L);
        }
    }

    @Test
    void ipv6PacketsThatCannotBeToldApartAreMarkedAmbiguousAndNotJoinedWhileADistinctOneIs() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            String src = "2001:db8:1::1";
            String dst = "2001:db8:2::2";
            // Two identical datagrams (same tuple, no IPv4 ID, same payload) 100 µs apart, and a third with another payload.
            HostPath a1 = path(30, T).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xAAAAL, 8)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath a2 = path(31, T.plusNanos(100_000)).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xAAAAL, 8)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath a3 = path(32, T.plusNanos(200_000)).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xBBBBL, 8)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath b1 = path(30, T.plusNanos(20_000)).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xAAAAL, 8)
                    .steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec");
            HostPath b2 = path(31, T.plusNanos(120_000)).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xAAAAL, 8)
                    .steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec");
            HostPath b3 = path(32, T.plusNanos(220_000)).tuple(src, 5000, dst, 5353, "udp").fp(null, null, null, 8, 0xBBBBL, 8)
                    .steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec");
            hosts.send("a", session, all(a1.events(), a2.events(), a3.events()));
            hosts.send("b", session, all(b1.events(), b2.events(), b3.events()));
            hosts.stop(session);

            for (long packet : new long[] {30, 31}) {
                JsonNode j = journeyOf(session, hosts.name("a"), packet);
                assertThat(j.get("ambiguous").asBoolean()).isTrue();
                assertThat(j.get("segments").asInt()).as("not joined to either candidate").isEqualTo(1);
                assertThat(texts(j.get("match").get("notes"))).anyMatch(n -> n.contains("cannot be told apart")
                        && n.contains("no IPv4 ID (IPv6)") && n.contains("matches 2 packets on " + hosts.name("b")));
                assertThat(j.get("match").get("candidates").findValuesAsString("packet")).containsExactly("30", "31");
                JsonNode other = journeyOf(session, hosts.name("b"), packet);
                assertThat(other.get("ambiguous").asBoolean()).isTrue();
            }
            JsonNode distinct = journeyOf(session, hosts.name("a"), 32);
            assertThat(distinct.get("ambiguous").asBoolean()).isFalse();
            assertThat(texts(distinct.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("b"));
            assertThat(distinct.get("flow").get("saddr").asString()).isEqualTo(src);
            assertThat(texts(distinct.get("match").get("by"))).contains("payload_hash").doesNotContain("ip_id");
        }
    }

    @Test
    void dnatOnTheRouterIsJoinedThroughConntracksOriginalTupleAndWithoutItTheSidesStaySeparate() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = hosts.session();
            String[] orig = {"10.0.1.1", "42000", "10.0.1.254", "80", "tcp"};
            String[] reply = {"10.0.2.2", "8080", "10.0.1.1", "42000", "tcp"};
            HostPath a = path(40, T).tuple("10.0.1.1", 42000, "10.0.1.254", 80, "tcp").fp(900, 5000L, 0L, 0, null, 0)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            // The router reports the packet only after DNAT (its filter matched the real server's address).
            HostPath router = path(40, T.plusNanos(10_000)).tuple("10.0.1.1", 42000, "10.0.2.2", 8080, "tcp")
                    .fp(900, 5000L, 0L, 0, null, 0).ct(true, orig, reply)
                    .steps("ip_forward", "net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath b = path(40, T.plusNanos(20_000)).tuple("10.0.1.1", 42000, "10.0.2.2", 8080, "tcp")
                    .fp(900, 5000L, 0L, 0, null, 0).steps("net:netif_receive_skb", "tcp_v4_rcv");
            // The same without conntrack's view on the router: a cannot be joined (its tuple is the virtual one).
            HostPath a2 = path(41, T.plusMillis(5)).tuple("10.0.1.1", 42001, "10.0.1.254", 80, "tcp")
                    .fp(901, 7000L, 0L, 0, null, 0).steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath router2 = path(41, T.plusMillis(5).plusNanos(10_000)).tuple("10.0.1.1", 42001, "10.0.2.2", 8080, "tcp")
                    .fp(901, 7000L, 0L, 0, null, 0).steps("ip_forward", "net:net_dev_queue", "net:net_dev_start_xmit");
            hosts.send("a", session, all(a.events(), a2.events()));
            hosts.send("router", session, all(router.events(), router2.events()));
            hosts.send("b", session, b.events());
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 40);
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("router"), hosts.name("b"));
            assertThat(texts(j.get("match").get("by"))).contains("ct_tuple");
            assertThat(texts(j.get("match").get("notes"))).anyMatch(n -> n.contains("conntrack")
                    && n.contains(hosts.name("router") + " translated the packet"));
            assertThat(j.get("flow").get("daddr").asString()).as("the flow as the sender sent it").isEqualTo("10.0.1.254");
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            assertThat(j.get("lanes").get(1).get("events").get(0).get("ct").get("orig").get("daddr").asString())
                    .isEqualTo("10.0.1.254");

            JsonNode alone = journeyOf(session, hosts.name("a"), 41);
            assertThat(texts(alone.get("hosts"))).containsExactly(hosts.name("a"));
        }
    }

    @Test
    void vxlanIsMatchedOnTheInnerPacketFromTheEncapsulatingHostToTheOneThatDecapsulates() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            HostPath a = path(50, T).tuple("192.168.50.1", 33000, "192.168.50.2", 7000, "udp").iface("vxlan0")
                    .fp(1500, null, null, 6, 0x5050L, 6).steps("net:net_dev_queue");
            a.tuple("10.0.1.1", 51000, "10.0.1.2", 4789, "udp").iface("eth0")
                    .encap(42, "192.168.50.1", 33000, "192.168.50.2", 7000, "udp")
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath b = path(50, T.plusNanos(15_000)).tuple("10.0.1.1", 51000, "10.0.1.2", 4789, "udp")
                    .encap(42, "192.168.50.1", 33000, "192.168.50.2", 7000, "udp").fp(1500, null, null, 6, 0x5050L, 6)
                    .steps("net:netif_receive_skb");
            b.noEncap().tuple("192.168.50.1", 33000, "192.168.50.2", 7000, "udp").iface("vxlan0")
                    .steps("net:netif_receive_skb", "skb:skb_copy_datagram_iovec");
            // An outer packet of the same tunnel with another inner packet: not this journey.
            HostPath other = path(51, T.plusNanos(16_000)).tuple("10.0.1.1", 51000, "10.0.1.2", 4789, "udp")
                    .encap(42, "192.168.50.1", 33000, "192.168.50.2", 7000, "udp").fp(1501, null, null, 6, 0x5151L, 6)
                    .steps("net:netif_receive_skb");
            hosts.send("a", session, a.events());
            hosts.send("b", session, all(b.events(), other.events()));
            hosts.stop(session);

            JsonNode j = journeyOf(session, hosts.name("a"), 50);
            assertThat(texts(j.get("hosts"))).containsExactly(hosts.name("a"), hosts.name("b"));
            assertThat(j.get("segments").asInt()).isEqualTo(2);
            assertThat(j.get("flow").get("saddr").asString()).as("the inner packet's flow").isEqualTo("192.168.50.1");
            assertThat(j.get("encap").get("vni").asLong()).isEqualTo(42);
            assertThat(texts(j.get("match").get("by"))).contains("vxlan_inner", "ip_id");
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            assertThat(j.get("lanes").get(1).get("events").get(0).get("encap").get("vni").asLong()).isEqualTo(42);
            assertThat(texts(journeyOf(session, hosts.name("b"), 51).get("hosts"))).containsExactly(hosts.name("b"));
        }
    }

    @Test
    void sightingsFurtherApartThanTheWindowAreNotJoinedEvenWithTheSameFingerprint() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            HostPath a = path(60, T).tuple("10.0.1.1", 40100, "10.0.2.2", 9000, "udp").fp(4242, null, null, 4, 0x60L, 4)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            // The same ID and payload 30 s later: the ID space wrapped, another packet.
            HostPath b = path(60, T.plusSeconds(30)).tuple("10.0.1.1", 40100, "10.0.2.2", 9000, "udp")
                    .fp(4242, null, null, 4, 0x60L, 4).steps("net:netif_receive_skb");
            hosts.send("a", session, a.events());
            hosts.send("b", session, b.events());
            hosts.stop(session);
            assertThat(texts(journeyOf(session, hosts.name("a"), 60).get("hosts"))).containsExactly(hosts.name("a"));
            assertThat(journeyOf(session, hosts.name("a"), 60).get("state").asString()).isEqualTo("forwarded");
        }
    }

    @Test
    void aReusedSkbCarryingTheNextPacketUnderTheSamePacketIdIsASecondPacketNotPartOfTheFirstJourney() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            HostPath data = path(70, T).tuple("10.0.1.1", 43000, "10.0.2.2", 8080, "tcp").fp(300, 5000L, 900L, 100, null, 0)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit");
            HostPath reply = path(72, T.plusNanos(60_000)).tuple("10.0.2.2", 8080, "10.0.1.1", 43000, "tcp")
                    .fp(700, 900L, 5100L, 0, null, 0).steps("net:netif_receive_skb");
            // On b one skb (packet id 71) first carries the data in, then, freed without a tracepoint and reused,
            // carries the acknowledgement out.
            HostPath in = path(71, T.plusNanos(20_000)).tuple("10.0.1.1", 43000, "10.0.2.2", 8080, "tcp")
                    .fp(300, 5000L, 900L, 100, null, 0).steps("net:netif_receive_skb", "tcp:tcp_probe");
            HostPath out = path(71, T.plusNanos(40_000)).tuple("10.0.2.2", 8080, "10.0.1.1", 43000, "tcp")
                    .fp(700, 900L, 5100L, 0, null, 0).steps("net:net_dev_queue", "net:net_dev_start_xmit");
            hosts.send("a", session, all(data.events(), reply.events()));
            hosts.send("b", session, all(in.events(), out.events()));
            hosts.stop(session);

            JsonNode first = journeyOf(session, hosts.name("a"), 70);
            assertThat(laneHosts(first)).containsExactly(hosts.name("a"), hosts.name("b"));
            assertThat(first.get("lanes").get(1).get("generation").asInt()).isZero();
            assertThat(first.get("lanes").get(1).get("events")).as("only the data's events").hasSize(2);
            assertThat(first.get("state").asString()).isEqualTo("delivered");
            JsonNode second = journeyOf(session, hosts.name("a"), 72);
            assertThat(laneHosts(second)).containsExactly(hosts.name("b"), hosts.name("a"));
            assertThat(second.get("id").asString()).endsWith("-71.1");
            assertThat(second.get("lanes").get(0).get("events").get(0).get("func").asString())
                    .isEqualTo("net:net_dev_queue");
            assertThat(journeys(session, "").get("journeys")).hasSize(2);
        }
    }

    static java.util.List<String> laneHosts(JsonNode journey) {
        java.util.List<String> hosts = new java.util.ArrayList<>();
        journey.get("lanes").forEach(l -> hosts.add(l.get("host").asString()));
        return hosts;
    }

    static java.util.List<Long> lanePackets(JsonNode journey) {
        java.util.List<Long> packets = new java.util.ArrayList<>();
        journey.get("lanes").forEach(l -> packets.add(l.get("packet").asLong()));
        return packets;
    }
}
