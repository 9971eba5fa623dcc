package io.skbtrail.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.agent.lab.NetnsLab;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Journeys of real packets: a real server process, three real agent processes each standing for a host by watching
 * one network namespace ({@code h1 → h2 (router) → h3}), real probes. The hosts share this machine's kernel, its skb
 * objects and its clock, so the join must work without them: the router's clock is made to run 300 ms ahead by the
 * server's test-only stand-in ({@code skbtrail.test.clock-skew-stand-in.<host>}) for every test here, and every
 * journey must still line up, in the packet's order, within the uncertainty it states.
 */
@Tag("kernel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyKernelTest {
    private static final long SKEW_NS = 300_000_000L;
    private static final String H1 = "10.231.41.1";
    private static final String ROUTER_H1_SIDE = "10.231.41.2";
    private static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.withClockSkew(Map.of("h2", SKEW_NS));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void udpFromH1ToH3IsOneJourneyThroughThreeHostsWithTheSkewedRouterAlignedWithinItsUncertainty() throws Exception {
        listen("h3", "UDP-RECV:7000");
        long session = traced("udp and port 7000", "");
        for (int i = 1; i <= 3; i++) {
            send("h1", "printf journey-udp-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/7000");
        }
        awaitEvents(session, "h3", "func=net:netif_receive_skb&dport=7000", 3);
        fleet.stopAndAwait(session);

        List<JsonNode> journeys = details(session, j -> flowTo(j, 7000) && H1.equals(j.get("flow").get("saddr").asString()));
        assertThat(journeys).hasSize(3);
        for (JsonNode j : journeys) {
            assertThat(hosts(j)).containsExactly(name("h1"), name("h2"), name("h3"));
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            assertThat(j.get("ambiguous").asBoolean()).isFalse();
            assertThat(texts(j.get("match").get("by"))).contains("tuple", "ip_id", "payload_hash");
            for (JsonNode lane : j.get("lanes")) {
                long trueOffset = lane.get("host").asString().equals(name("h2")) ? SKEW_NS : 0;
                long uncertainty = lane.get("clockUncertaintyNs").asLong();
                assertThat(uncertainty).as("the bound is well below the skew it corrects").isLessThan(SKEW_NS / 2);
                assertThat(Math.abs(lane.get("clockOffsetNs").asLong() - trueOffset)).isLessThanOrEqualTo(uncertainty);
                for (JsonNode e : lane.get("events")) {
                    long trueNs = epochNs(e.get("time").asString()) - trueOffset;
                    assertThat(Math.abs(e.get("alignedNs").asLong() - trueNs))
                            .as("%s on %s aligned within ±%d ns", e.get("func").asString(), lane.get("host").asString(),
                                    uncertainty)
                            .isLessThanOrEqualTo(uncertainty);
                }
            }
            assertThat(j.get("wire").size()).isGreaterThanOrEqualTo(2);
            for (JsonNode w : j.get("wire")) {
                assertThat(w.get("minNs").asLong()).isGreaterThanOrEqualTo(0);
            }
            // The hop h1 → router, against the true time on the wire (this machine's one clock, the skew taken off).
            JsonNode toRouter = j.get("wire").get(0);
            assertThat(toRouter.get("from").asString()).isEqualTo(name("h1"));
            assertThat(toRouter.get("to").asString()).isEqualTo(name("h2"));
            long trueWire = firstNs(lane(j, name("h2"), toRouter.get("toPacket").asLong()))
                    - SKEW_NS - lastTransmitNs(lane(j, name("h1"), toRouter.get("fromPacket").asLong()));
            assertThat(toRouter.get("minNs").asLong()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(trueWire);
            assertThat(toRouter.get("maxNs").asLong()).isGreaterThanOrEqualTo(trueWire);
        }
    }

    @Test
    @Order(2)
    void tcpFromH1ToH3IsJoinedPacketByPacketAndTheReplyRunsTheOtherWay() throws Exception {
        listen("h3", "TCP-LISTEN:7001,reuseaddr,fork");
        long session = traced("tcp and port 7001", "");
        send("h1", "printf journey-tcp > /dev/tcp/" + Fleet.H3_ADDRESS + "/7001");
        awaitEvents(session, "h3", "func=skb:skb_copy_datagram_iovec", 1);
        fleet.stopAndAwait(session);

        List<JsonNode> out = details(session, j -> flowTo(j, 7001));
        assertThat(out).as("SYN, data, ACKs, FIN from h1").hasSizeGreaterThanOrEqualTo(3);
        JsonNode syn = withFlags(out, "SYN");
        assertThat(hosts(syn)).containsExactly(name("h1"), name("h2"), name("h3"));
        assertThat(syn.get("state").asString()).isEqualTo("delivered");
        assertThat(texts(syn.get("match").get("by"))).contains("tcp_seq", "tcp_ack", "ip_id");
        JsonNode data = out.stream().filter(j -> firstTuple(j).get("tcp_flags").asString().contains("PSH")).findFirst()
                .orElseThrow(() -> new AssertionError("no data segment among " + out));
        assertThat(hosts(data)).containsExactly(name("h1"), name("h2"), name("h3"));
        assertThat(data.get("state").asString()).isEqualTo("delivered");
        for (JsonNode j : out) {
            assertThat(hosts(j)).as(j.get("id").asString()).containsExactly(name("h1"), name("h2"), name("h3"));
        }
        List<JsonNode> back = details(session, j -> j.get("flow") != null && !j.get("flow").isNull()
                && j.get("flow").get("sport").asInt() == 7001);
        JsonNode synAck = withFlags(back, "SYN|ACK");
        assertThat(hosts(synAck)).containsExactly(name("h3"), name("h2"), name("h1"));
    }

    @Test
    @Order(3)
    void aPacketDroppedByTheRoutersFirewallEndsThereWithItsReason() throws Exception {
        exec("h2", "iptables -w 10 -I FORWARD -p udp --dport 7002 -j DROP");
        try {
            long session = traced("udp and port 7002", "");
            for (int i = 1; i <= 3; i++) {
                send("h1", "printf dropped-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/7002");
            }
            awaitEvents(session, "h2", "dropReason=NETFILTER_DROP", 3);
            fleet.stopAndAwait(session);
            List<JsonNode> journeys = details(session, j -> flowTo(j, 7002));
            assertThat(journeys).hasSize(3);
            for (JsonNode j : journeys) {
                assertThat(hosts(j)).containsExactly(name("h1"), name("h2"));
                assertThat(j.get("state").asString()).isEqualTo("dropped");
                assertThat(j.get("dropHost").asString()).isEqualTo(name("h2"));
                assertThat(j.get("dropReason").asString()).isEqualTo("NETFILTER_DROP");
            }
            JsonNode page = fleet.admin.get("/api/sessions/" + session + "/journeys?state=dropped&reason=NETFILTER_DROP"
                    + "&host=" + name("h1") + "&host2=" + name("h2")).body();
            assertThat(page.get("journeys")).hasSize(3);
        } finally {
            exec("h2", "iptables -w 10 -D FORWARD -p udp --dport 7002 -j DROP");
        }
    }

    @Test
    @Order(4)
    void dnatOnTheRouterIsJoinedThroughConntracksOriginalTuple() throws Exception {
        exec("h2", "iptables -w 10 -t nat -A PREROUTING -p tcp -d " + ROUTER_H1_SIDE
                + " --dport 8080 -j DNAT --to-destination " + Fleet.H3_ADDRESS + ":8080");
        try {
            listen("h3", "TCP-LISTEN:8080,reuseaddr,fork");
            long session = traced("tcp and port 8080", "");
            send("h1", "printf through-nat > /dev/tcp/" + ROUTER_H1_SIDE + "/8080");
            awaitEvents(session, "h3", "func=skb:skb_copy_datagram_iovec", 1);
            fleet.stopAndAwait(session);

            JsonNode syn = withFlags(details(session, j -> flowTo(j, 8080)), "SYN");
            assertThat(hosts(syn)).containsExactly(name("h1"), name("h2"), name("h3"));
            assertThat(syn.get("flow").get("daddr").asString()).as("the flow as h1 sent it").isEqualTo(ROUTER_H1_SIDE);
            assertThat(texts(syn.get("match").get("by"))).contains("ct_tuple");
            assertThat(texts(syn.get("match").get("notes"))).anyMatch(n -> n.contains("conntrack")
                    && n.contains(name("h2") + " translated the packet"));
            JsonNode atH3 = syn.get("lanes").get(2).get("events").get(0);
            assertThat(atH3.get("tuple").get("daddr").asString()).isEqualTo(Fleet.H3_ADDRESS);
            boolean routerSawOriginal = false;
            for (JsonNode e : syn.get("lanes").get(1).get("events")) {
                if (!e.get("ct").isNull()) {
                    assertThat(e.get("ct").get("orig").get("daddr").asString()).isEqualTo(ROUTER_H1_SIDE);
                    routerSawOriginal = true;
                }
            }
            assertThat(routerSawOriginal).isTrue();
            assertThat(syn.get("state").asString()).isEqualTo("delivered");
        } finally {
            exec("h2", "iptables -w 10 -t nat -D PREROUTING -p tcp -d " + ROUTER_H1_SIDE
                    + " --dport 8080 -j DNAT --to-destination " + Fleet.H3_ADDRESS + ":8080");
        }
    }

    @Test
    @Order(5)
    void twoSessionsBeforeAndAfterADropRuleDifferAtTheDrop() throws Exception {
        listen("h3", "UDP-RECV:7003");
        long before = traced("udp and port 7003", "");
        for (int i = 1; i <= 3; i++) {
            send("h1", "printf before-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/7003");
        }
        awaitEvents(before, "h3", "func=net:netif_receive_skb&dport=7003", 3);
        fleet.stopAndAwait(before);
        exec("h2", "iptables -w 10 -I FORWARD -p udp --dport 7003 -j DROP");
        long after;
        try {
            after = traced("udp and port 7003", "");
            for (int i = 1; i <= 3; i++) {
                send("h1", "printf after-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/7003");
            }
            awaitEvents(after, "h2", "dropReason=NETFILTER_DROP", 3);
            fleet.stopAndAwait(after);
        } finally {
            exec("h2", "iptables -w 10 -D FORWARD -p udp --dport 7003 -j DROP");
        }

        JsonNode diff = fleet.admin.get("/api/diff?left=" + before + "&right=" + after).body();
        assertThat(diff.get("backendsDiffer").asBoolean()).isFalse();
        JsonNode flow = null;
        for (JsonNode f : diff.get("flows")) {
            if (f.get("flow").get("dport").asInt() == 7003) {
                flow = f;
            }
        }
        assertThat(flow).as(diff.toString()).isNotNull();
        assertThat(flow.get("left").get("states").get("delivered").asLong()).isEqualTo(3);
        assertThat(flow.get("right").get("states").get("dropped").asLong()).isEqualTo(3);
        assertThat(flow.get("dropReasonsRightOnly").get(0).get("point").asString()).isEqualTo("NETFILTER_DROP");
        assertThat(flow.get("dropReasonsRightOnly").get(0).get("host").asString()).isEqualTo(name("h2"));
        boolean dropOnlyRight = false;
        for (JsonNode c : flow.get("rightOnly")) {
            dropOnlyRight |= c.get("host").asString().equals(name("h2"))
                    && c.get("point").asString().equals("skb:kfree_skb(NETFILTER_DROP)") && c.get("journeys").asLong() == 3;
        }
        assertThat(dropOnlyRight).as(flow.toString()).isTrue();
        JsonNode first = flow.get("firstDivergence");
        assertThat(first.get("after").get("host").asString()).isEqualTo(name("h2"));
        assertThat(first.get("right").get("point").asString()).isEqualTo("skb:kfree_skb(NETFILTER_DROP)");
        assertThat(first.get("right").get("host").asString()).isEqualTo(name("h2"));

        String delivered = details(before, j -> flowTo(j, 7003)).get(0).get("id").asString();
        String dropped = details(after, j -> flowTo(j, 7003)).get(0).get("id").asString();
        JsonNode paths = fleet.admin.get("/api/diff?left=" + before + ":" + delivered + "&right=" + after + ":" + dropped)
                .body();
        assertThat(paths.get("firstDivergence").get("right").get("point").asString())
                .isEqualTo("skb:kfree_skb(NETFILTER_DROP)");
        assertThat(paths.get("firstDivergence").get("after").get("host").asString()).isEqualTo(name("h2"));
    }

    @Test
    @Order(6)
    void vxlanBetweenH1AndH3IsMatchedOnTheInnerPacket() throws Exception {
        vxlanEnd("h1", fleet.h1h2[0], Fleet.H3_ADDRESS, 1);
        vxlanEnd("h3", fleet.h2h3[1], H1, 2);
        listen("h3", "UDP-RECV:7004");
        long session = traced("udp and (port 4789 or port 7004)", "");
        for (int i = 1; i <= 3; i++) {
            send("h1", "printf overlay-" + i + " > /dev/udp/10.231.77.2/7004");
        }
        awaitEvents(session, "h3", "func=net:netif_receive_skb&dport=7004", 3);
        fleet.stopAndAwait(session);

        List<JsonNode> journeys = details(session, j -> flowTo(j, 7004));
        assertThat(journeys).hasSize(3);
        for (JsonNode j : journeys) {
            assertThat(hosts(j)).containsExactly(name("h1"), name("h2"), name("h3"));
            assertThat(j.get("flow").get("saddr").asString()).as("the inner packet's flow").isEqualTo("10.231.77.1");
            assertThat(j.get("encap").get("vni").asLong()).isEqualTo(42);
            assertThat(texts(j.get("match").get("by"))).contains("vxlan_inner");
            assertThat(j.get("state").asString()).isEqualTo("delivered");
            boolean outerOnRouter = false;
            for (JsonNode e : j.get("lanes").get(1).get("events")) {
                outerOnRouter |= !e.get("encap").isNull() && e.get("tuple").get("dport").asInt() == 4789;
            }
            assertThat(outerOnRouter).as("the router forwarded the outer packet").isTrue();
        }
    }

    private static void vxlanEnd(String role, NetnsLab.End local, String remote, int host) {
        exec(role, "ip link add vx42 type vxlan id 42 local " + local.ipv4() + " remote " + remote
                + " dstport 4789 dev " + local.ifname() + " && ip addr add 10.231.77." + host + "/24 dev vx42"
                + " && ip link set vx42 up");
    }

    // --- helpers

    private static String name(String role) {
        return fleet.hostName(role);
    }

    private static void exec(String role, String command) {
        NetnsLab.exec(fleet.netns.get(role), command);
    }

    private static void send(String role, String command) throws InterruptedException {
        exec(role, command);
        Thread.sleep(100);
    }

    /** A socat listener on the host that reads and discards (so packets reach a socket), for 60 s at most. */
    private static void listen(String role, String address) {
        exec(role, "(timeout 60 socat -u " + address + " /dev/null >/dev/null 2>&1 &)");
        String port = address.replaceAll("^[A-Z-]+:(\\d+).*$", "$1");
        exec(role, "for i in $(seq 50); do ss -lntu | grep -q :" + port + " && break; sleep 0.1; done");
    }

    private static long traced(String filter, String extra) throws Exception {
        Api.Response r = fleet.admin.post("/api/sessions", "{\"filter\":" + Api.json(filter)
                + ",\"labels\":{\"run\":\"" + fleet.run + "\"}" + extra + "}");
        if (r.status() != 201) {
            throw new IllegalStateException("session: " + r.status() + " " + r.text());
        }
        long session = r.body().get("id").asLong();
        fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        return session;
    }

    private static void awaitEvents(long session, String role, String query, int count) throws Exception {
        fleet.await(count + " events " + query + " on " + role, Duration.ofSeconds(30),
                () -> fleet.events(session, role, query).size() >= count);
    }

    /** Every journey of the session the predicate selects (on its list entry), in detail. */
    private static List<JsonNode> details(long session, Predicate<JsonNode> which) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = fleet.admin.get("/api/sessions/" + session + "/journeys?limit=1000"
                    + (after == null ? "" : "&after=" + after)).body();
            for (JsonNode j : page.get("journeys")) {
                if (which.test(j)) {
                    out.add(fleet.admin.get("/api/sessions/" + session + "/journeys/" + j.get("id").asString()).body());
                }
            }
            after = page.get("next").isNull() ? null : page.get("next").asString();
        } while (after != null);
        return out;
    }

    private static boolean flowTo(JsonNode j, int port) {
        return j.get("flow") != null && !j.get("flow").isNull() && j.get("flow").get("dport").asInt() == port;
    }

    private static List<String> hosts(JsonNode j) {
        return texts(j.get("hosts"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The tuple of the journey's first event that has one. */
    private static JsonNode firstTuple(JsonNode j) {
        for (JsonNode lane : j.get("lanes")) {
            for (JsonNode e : lane.get("events")) {
                if (!e.get("tuple").isNull()) {
                    return e.get("tuple");
                }
            }
        }
        throw new AssertionError("no tuple in " + j);
    }

    private static JsonNode withFlags(List<JsonNode> journeys, String flags) {
        return journeys.stream().filter(j -> firstTuple(j).get("tcp_flags").asString().equals(flags)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + flags + " journey among " + journeys));
    }

    private static long epochNs(String time) {
        Instant t = Instant.parse(time);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The first lane of this host and packet id that has events. */
    private static JsonNode lane(JsonNode j, String host, long packet) {
        for (JsonNode lane : j.get("lanes")) {
            if (lane.get("host").asString().equals(host) && lane.get("packet").asLong() == packet) {
                return lane;
            }
        }
        throw new AssertionError("no lane of " + host + " packet " + packet + " in " + j);
    }

    private static long firstNs(JsonNode lane) {
        return epochNs(lane.get("events").get(0).get("time").asString());
    }

    /** The last hand-over to a device in a lane (what the wire time is measured from). */
    private static long lastTransmitNs(JsonNode lane) {
        long last = Long.MIN_VALUE;
        for (JsonNode e : lane.get("events")) {
            String func = e.get("func").asString();
            if (func.equals("net:net_dev_queue") || func.equals("net:net_dev_start_xmit")) {
                last = Math.max(last, epochNs(e.get("time").asString()));
            }
        }
        assertThat(last).as("a transmit in " + lane).isNotEqualTo(Long.MIN_VALUE);
        return last;
    }
}
