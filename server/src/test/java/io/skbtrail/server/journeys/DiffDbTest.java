package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.protocol.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/diff}: two packet paths aligned as sequences (an extra point does not shift everything after it),
 * two sessions per flow (before and after a DROP rule), and a diff across backends that says so.
 */
class DiffDbTest extends JourneyTestBase {
    private static final Instant T = Instant.parse("2026-11-25T14:00:00Z");

    /** Before: three datagrams a → router → b, delivered. After: dropped on the router by the firewall. */
    private long run(Hosts hosts, boolean dropped, int sport, Map<String, String> backends, boolean kprobe) {
        long session = hosts.session(null, backends);
        List<Event> a = new ArrayList<>();
        List<Event> router = new ArrayList<>();
        List<Event> b = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant t = T.plusMillis(5L * i);
            int ipId = sport + i;
            a.addAll(path(i + 1, t).tuple("10.0.1.1", sport, "10.0.2.2", 9999, "udp").fp(ipId, null, null, 6, 9L, 6)
                    .steps(kprobe ? new String[] {"ip_output", "dev_queue_xmit", "dev_hard_start_xmit"}
                            : new String[] {"net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit"}).events());
            HostPath r = path(i + 1, t.plusNanos(10_000)).tuple("10.0.1.1", sport, "10.0.2.2", 9999, "udp")
                    .fp(ipId, null, null, 6, 9L, 6);
            if (dropped) {
                r.steps(kprobe ? new String[] {"ip_rcv", "nf_hook_slow", "kfree_skb_reason!NETFILTER_DROP@nf_hook_slow"}
                        : new String[] {"net:netif_receive_skb", "skb:kfree_skb!NETFILTER_DROP@nft_do_chain"});
            } else {
                r.steps(kprobe ? new String[] {"ip_rcv", "nf_hook_slow", "ip_forward", "dev_queue_xmit"}
                        : new String[] {"net:netif_receive_skb", "net:net_dev_queue", "net:net_dev_start_xmit",
                                "net:net_dev_xmit"});
                b.addAll(path(i + 1, t.plusNanos(20_000)).tuple("10.0.1.1", sport, "10.0.2.2", 9999, "udp")
                        .fp(ipId, null, null, 6, 9L, 6).steps(kprobe ? new String[] {"ip_rcv", "udp_queue_rcv_skb"}
                                : new String[] {"net:netif_receive_skb", "skb:skb_copy_datagram_iovec"}).events());
            }
            router.addAll(r.events());
        }
        hosts.send("a", session, a);
        hosts.send("router", session, router);
        hosts.send("b", session, b);
        hosts.stop(session);
        return session;
    }

    private JsonNode diff(String left, String right) {
        var r = admin().get("/api/diff?left=" + left + "&right=" + right);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void twoJourneysAreAlignedAsSequencesAndPartAtTheDrop() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long before = run(hosts, false, 40001, Map.of(), false);
            long after = run(hosts, true, 50002, Map.of(), false);
            String delivered = journeys(before, "limit=1").get("journeys").get(0).get("id").asString();
            String dropped = journeys(after, "limit=1").get("journeys").get(0).get("id").asString();

            JsonNode d = diff(after + ":" + dropped, before + ":" + delivered);
            assertThat(d.get("mode").asString()).isEqualTo("paths");
            assertThat(d.get("byHost").asBoolean()).isTrue();
            assertThat(d.get("backendsDiffer").asBoolean()).isFalse();
            assertThat(d.get("identical").asBoolean()).isFalse();
            assertThat(d.get("left").get("state").asString()).isEqualTo("dropped");
            assertThat(d.get("right").get("state").asString()).isEqualTo("delivered");
            JsonNode first = d.get("firstDivergence");
            assertThat(first.get("after").get("point").asString()).isEqualTo("net:netif_receive_skb");
            assertThat(first.get("after").get("host").asString()).isEqualTo(hosts.name("router"));
            assertThat(first.get("left").get("point").asString()).isEqualTo("skb:kfree_skb(NETFILTER_DROP)");
            assertThat(first.get("right").get("point").asString()).isEqualTo("net:net_dev_queue");
            assertThat(first.get("message").asString()).contains("skb:kfree_skb(NETFILTER_DROP) on " + hosts.name("router"));
            List<String> ops = new ArrayList<>();
            d.get("rows").forEach(r -> ops.add(r.get("op").asString()));
            assertThat(ops).startsWith("same", "same", "same", "same").contains("changed", "right");
            assertThat(ops.stream().filter("same"::equals).count()).isEqualTo(4);
        }
    }

    @Test
    void anExtraProbePointIsOneRowNotAShiftOfEverythingAfterIt() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = hosts.session();
            HostPath plain = path(1, T).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(1, null, null, 1, 1L, 1)
                    .steps("net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit");
            HostPath queued = path(2, T.plusMillis(1)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(2, null, null, 1, 2L, 1)
                    .steps("net:net_dev_queue", "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue", "net:net_dev_start_xmit",
                            "net:net_dev_xmit");
            hosts.send("a", session, all(plain.events(), queued.events()));
            hosts.stop(session);
            String a = hosts.name("a");
            JsonNode d = diff(session + ":" + a + ":1", session + ":" + a + ":2");
            List<String> ops = new ArrayList<>();
            d.get("rows").forEach(r -> ops.add(r.get("op").asString()));
            assertThat(ops).containsExactly("same", "right", "right", "same", "same");
            assertThat(d.get("firstDivergence").get("after").get("point").asString()).isEqualTo("net:net_dev_queue");
            assertThat(d.get("firstDivergence").get("right").get("point").asString()).isEqualTo("qdisc:qdisc_enqueue");
            assertThat(d.get("firstDivergence").get("left").isNull()).isTrue();
            assertThat(diff(session + ":" + a + ":1", session + ":" + a + ":1").get("identical").asBoolean()).isTrue();
        }
    }

    @Test
    void sessionsBeforeAndAfterADropRuleDifferPerFlowWithTheDivergenceAtTheDrop() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long before = run(hosts, false, 40001, Map.of(), false);
            long after = run(hosts, true, 50002, Map.of(), false);
            JsonNode d = diff(String.valueOf(before), String.valueOf(after));
            assertThat(d.get("mode").asString()).isEqualTo("sessions");
            assertThat(d.get("identical").asBoolean()).isFalse();
            assertThat(d.get("flows")).as("ephemeral source ports left out: one flow").hasSize(1);
            JsonNode flow = d.get("flows").get(0);
            assertThat(flow.get("flow").get("sport").isNull()).isTrue();
            assertThat(flow.get("flow").get("dport").asInt()).isEqualTo(9999);
            assertThat(flow.get("left").get("states").get("delivered").asLong()).isEqualTo(3);
            assertThat(flow.get("right").get("states").get("dropped").asLong()).isEqualTo(3);
            JsonNode drop = flow.get("rightOnly").findParents("point").stream()
                    .filter(c -> c.get("point").asString().equals("skb:kfree_skb(NETFILTER_DROP)")).findFirst().orElseThrow();
            assertThat(drop.get("host").asString()).isEqualTo(hosts.name("router"));
            assertThat(drop.get("events").asLong()).isEqualTo(3);
            assertThat(drop.get("journeys").asLong()).isEqualTo(3);
            assertThat(flow.get("leftOnly").findValuesAsString("host")).contains(hosts.name("b"));
            assertThat(flow.get("dropReasonsRightOnly").get(0).get("point").asString()).isEqualTo("NETFILTER_DROP");
            assertThat(flow.get("dropReasonsRightOnly").get(0).get("journeys").asLong()).isEqualTo(3);
            assertThat(flow.get("dropReasonsLeftOnly")).isEmpty();
            JsonNode first = d.get("firstDivergence").get("firstDivergence");
            assertThat(first.get("after").get("point").asString()).isEqualTo("net:netif_receive_skb");
            assertThat(first.get("after").get("host").asString()).isEqualTo(hosts.name("router"));
            assertThat(first.get("right").get("point").asString()).isEqualTo("skb:kfree_skb(NETFILTER_DROP)");
            assertThat(d.get("message").asString()).contains("NETFILTER_DROP");
            assertThat(diff(String.valueOf(before), String.valueOf(before)).get("identical").asBoolean()).isTrue();
        }
    }

    @Test
    void aDiffAcrossBackendsSaysSoInsteadOfReportingEveryHookAsADivergence() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long tracepoints = run(hosts, false, 40001, Map.of(), false);
            long kprobes = run(hosts, true, 50002, Map.of("a", "kprobe_multi", "router", "kprobe_multi", "b",
                    "kprobe_multi"), true);
            JsonNode d = diff(String.valueOf(tracepoints), String.valueOf(kprobes));
            assertThat(d.get("backendsDiffer").asBoolean()).isTrue();
            assertThat(d.get("message").asString()).contains("tracepoint").contains("kprobe").contains("not compared");
            JsonNode flow = d.get("flows").get(0);
            assertThat(flow.get("leftOnly")).isEmpty();
            assertThat(flow.get("rightOnly")).isEmpty();
            assertThat(flow.get("firstDivergence").isNull()).isTrue();
            assertThat(flow.get("dropReasonsRightOnly").get(0).get("point").asString()).as("outcomes still compare")
                    .isEqualTo("NETFILTER_DROP");

            String left = journeys(tracepoints, "limit=1").get("journeys").get(0).get("id").asString();
            String right = journeys(kprobes, "limit=1").get("journeys").get(0).get("id").asString();
            JsonNode paths = diff(tracepoints + ":" + left, kprobes + ":" + right);
            assertThat(paths.get("backendsDiffer").asBoolean()).isTrue();
            assertThat(paths.get("rows")).isEmpty();
            assertThat(paths.get("firstDivergence").isNull()).isTrue();
            assertThat(paths.get("message").asString()).contains("left delivered").contains("right dropped (NETFILTER_DROP");
        }
    }

    @Test
    void oneHostOfEachSessionComparesOnlyThatHostsPointsAndDrops() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long before = run(hosts, false, 40001, Map.of(), false);
            long after = run(hosts, true, 50002, Map.of(), false);
            String router = hosts.name("router");
            JsonNode d = diff(before + "@" + router, after + "@" + router);
            assertThat(d.get("mode").asString()).isEqualTo("sessions");
            assertThat(d.get("byHost").asBoolean()).isTrue();
            assertThat(d.get("left").get("host").asString()).isEqualTo(router);
            assertThat(d.get("left").get("journeys").asLong()).isEqualTo(3);
            assertThat(d.get("left").get("events").asLong()).as("the router's 4 points of 3 packets").isEqualTo(12);
            assertThat(d.get("right").get("events").asLong()).isEqualTo(6);
            assertThat(d.get("flows")).hasSize(1);
            JsonNode flow = d.get("flows").get(0);
            assertThat(flow.get("left").get("states").get("passed").asLong()).as("sent on to b").isEqualTo(3);
            assertThat(flow.get("right").get("states").get("dropped").asLong()).isEqualTo(3);
            List<String> hostsNamed = new ArrayList<>();
            hostsNamed.addAll(flow.get("leftOnly").findValuesAsString("host"));
            hostsNamed.addAll(flow.get("rightOnly").findValuesAsString("host"));
            assertThat(hostsNamed).as("neither a's nor b's points").isNotEmpty().containsOnly(router);
            assertThat(flow.get("rightOnly").findValuesAsString("point")).containsExactly("skb:kfree_skb(NETFILTER_DROP)");
            assertThat(flow.get("leftOnly").findValuesAsString("point")).contains("net:net_dev_queue");
            assertThat(flow.get("firstDivergence").get("after").get("point").asString()).isEqualTo("net:netif_receive_skb");
            assertThat(flow.get("firstDivergence").get("right").get("point").asString())
                    .isEqualTo("skb:kfree_skb(NETFILTER_DROP)");

            // a's drop-free part of the same sessions: nothing differs there
            String a = hosts.name("a");
            JsonNode senders = diff(before + "@" + a, after + "@" + a);
            assertThat(senders.get("identical").asBoolean()).as(senders.toString()).isTrue();
        }
    }

    @Test
    void twoHostsOfOneSessionLineUpPerFlowAndAlignAsSequences() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = run(hosts, false, 40001, Map.of(), false);
            String a = hosts.name("a");
            String router = hosts.name("router");
            JsonNode d = diff(session + "@" + a, session + "@" + router);
            assertThat(d.get("byHost").asBoolean()).as("different hosts: their points compare as such").isFalse();
            assertThat(d.get("flows")).as("the same packets on two hosts: one flow").hasSize(1);
            JsonNode flow = d.get("flows").get(0);
            assertThat(flow.get("left").get("journeys").asLong()).isEqualTo(3);
            assertThat(flow.get("right").get("journeys").asLong()).isEqualTo(3);
            assertThat(flow.get("left").get("states").get("passed").asLong()).isEqualTo(3);
            assertThat(flow.get("leftOnly")).isEmpty();
            assertThat(flow.get("rightOnly").findValuesAsString("point")).containsExactly("net:netif_receive_skb");
            List<String> ops = new ArrayList<>();
            flow.get("rows").forEach(r -> ops.add(r.get("op").asString()));
            assertThat(ops).containsExactly("right", "same", "same", "same");
            assertThat(flow.get("firstDivergence").get("right").get("point").asString()).isEqualTo("net:netif_receive_skb");
            assertThat(flow.get("firstDivergence").get("after").isNull()).isTrue();
            assertThat(d.get("message").asString()).startsWith("from the start");

            String b = hosts.name("b");
            JsonNode receiver = diff(session + "@" + router, session + "@" + b);
            assertThat(receiver.get("flows").get(0).get("right").get("states").get("delivered").asLong()).isEqualTo(3);
        }
    }

    @Test
    void malformedOrUnknownHostSidesAreRefusedWithWhatToWrite() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = run(hosts, false, 40001, Map.of(), false);
            String a = hosts.name("a");
            JsonNode unknown = refused(session + "@" + a, session + "@no-such-host");
            assertThat(unknown.get("errors").get(0).get("field").asString()).isEqualTo("right");
            assertThat(unknown.get("detail").asString()).contains("\"no-such-host\" is not a host of session " + session)
                    .contains(hosts.name("router"));
            for (String bad : List.of(session + "@", "@" + a, session + "@" + a + ":1", "x@" + a, "0@" + a)) {
                JsonNode p = refused(bad, String.valueOf(session));
                assertThat(p.get("errors").get(0).get("field").asString()).as(bad).isEqualTo("left");
                assertThat(p.get("detail").asString()).as(bad).contains("12@node-a");
            }
            assertThat(refused(session + "@" + a, session + ":" + a + ":1").get("detail").asString())
                    .contains("must both be sessions (12, 12@host), or both packet paths");
            assertThat(admin().get("/api/diff?left=987654321@" + a + "&right=" + session).status()).isEqualTo(404);
        }
    }

    @Test
    void aShareLinkComparesTwoHostsOfItsOwnSessionOnly() {
        try (Hosts hosts = new Hosts("a", "router", "b")) {
            long session = run(hosts, true, 40001, Map.of(), false);
            long other = run(hosts, false, 50002, Map.of(), false);
            String a = hosts.name("a");
            String router = hosts.name("router");
            String token = admin().post("/api/sessions/" + session + "/share", null).json().get("token").asString();
            var shared = anonymous().get("/api/shared/" + token + "/diff?left=" + session + "@" + a + "&right=" + session
                    + "@" + router);
            assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
            assertThat(shared.json().get("flows").get(0).get("dropReasonsRightOnly").get(0).get("point").asString())
                    .isEqualTo("NETFILTER_DROP");
            assertThat(anonymous().get("/api/shared/" + token + "/diff?left=" + session + "@" + a + "&right=" + other
                    + "@" + a).status()).isEqualTo(404);
        }
    }

    private JsonNode refused(String left, String right) {
        var r = admin().get("/api/diff?left=" + left + "&right=" + right);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        return r.json();
    }
}
