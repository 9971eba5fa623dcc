package io.skbtrail.server.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.ScriptedAgentClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The agent link protocol as a working agent speaks it, frame by frame: hello and welcome, clock pings,
 * arm/armed/start, event batches and their acks (resends included), stop and the final batch with the
 * summary, and reconnects by the same or a new agent process. Checked through the API as a user sees it.
 */
class AgentLinkProtocolTest extends AgentLinkTestBase {

    @Test
    void helloIsWelcomedAndTheHostIsShownOnlineWithWhatItSaid() {
        String name = unique("hello");
        String zone = unique("zone");
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, fleetToken().secret())) {
            agent.send(hello(name, UUID.randomUUID().toString(), Map.of("zone", zone, "role", "lb"), 4, List.of()));
            ServerFrame.Welcome welcome = agent.await(ServerFrame.Welcome.class);
            assertThat(welcome.ackedSeq()).isZero();
            assertThat(welcome.heartbeatMillis()).isEqualTo(1000);

            JsonNode host = host(name);
            assertThat(host.get("id").asLong()).isEqualTo(welcome.host());
            assertThat(host.get("state").asString()).isEqualTo("online");
            assertThat(host.get("kernel").asString()).isEqualTo("6.18.44-test");
            assertThat(host.get("backend").asString()).isEqualTo("tracepoint");
            assertThat(host.get("maxSessions").asInt()).isEqualTo(4);
            assertThat(host.get("labels").get("zone").asString()).isEqualTo(zone);
            assertThat(host.get("labels").get("role").asString()).isEqualTo("lb");
            assertThat(host.get("backends").get(0).get("reason").asString()).isEqualTo("no kprobe PMU");

            ServerFrame.Ping ping = agent.await(ServerFrame.Ping.class);
            agent.send(new AgentFrame.Pong(ping.id(), Instant.now()));
            eventually("a clock estimate from the pong", () -> !host(name).get("clockOffsetNs").isNull());
            agent.send(new AgentFrame.Heartbeat(Instant.now(), List.of(), 17, 0));
            eventually("the heartbeat shown", () -> host(name).get("bufferedEvents").asLong() == 17);
            assertThat(agent.isOpen()).isTrue();
        }
        awaitOffline(name);
    }

    @Test
    void sessionFromArmToStoppedWithEventsAcksResendsAndSummary() {
        String name = unique("lifecycle");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            Instant before = Instant.now();
            long session = startSession("{\"filter\":\"tcp and port 8080\",\"hosts\":[\"" + name + "\"],"
                    + "\"durationSeconds\":600,\"maxEventsPerHost\":1000,"
                    + "\"options\":{\"filter-track-skb\":true,\"output-packet-bytes\":64}}");
            ServerFrame.Arm arm = agent.await(ServerFrame.Arm.class);
            assertThat(arm.session()).isEqualTo(session);
            assertThat(arm.filter()).isEqualTo("tcp and port 8080");
            assertThat(arm.options()).isEqualTo(Map.of("filter-track-skb", "true", "output-packet-bytes", "64"));
            assertThat(arm.maxEvents()).isEqualTo(1000);
            assertThat(arm.deadline()).isCloseTo(before.plusSeconds(600), within(30, ChronoUnit.SECONDS));
            assertThat(hostState(session)).isEqualTo("arming");

            agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of("tcp:tcp_bad_csum: not in this kernel")));
            assertThat(agent.await(ServerFrame.Start.class).session()).isEqualTo(session);
            JsonNode running = session(session);
            assertThat(running.get("state").asString()).isEqualTo("running");
            assertThat(running.get("hosts").get(0).get("state").asString()).isEqualTo("tracing");
            assertThat(running.get("hosts").get(0).get("probes").asInt()).isEqualTo(21);

            String first = batch(1, session, null, event(1, null), event(2, "NO_SOCKET"),
                    loss("kernel_ringbuf", 5, 5), event(3, null));
            agent.send(first);
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(1);
            JsonNode events = events(session);
            assertThat(events).hasSize(3);
            assertThat(events.get(0).get("host").asString()).isEqualTo(name);
            assertThat(events.get(0).get("session").asLong()).isEqualTo(session);
            assertThat(events.get(1).get("drop_reason").asString()).isEqualTo("NO_SOCKET");
            assertThat(events.get(2).get("tuple").get("daddr").asString()).isEqualTo("10.231.9.2");

            agent.send(first);
            assertThat(agent.await(ServerFrame.Ack.class).seq()).as("a resend is acknowledged again").isEqualTo(1);
            assertThat(events(session)).as("and not stored twice").hasSize(3);
            assertThat(session(session).get("events").asLong()).isEqualTo(3);

            assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
            assertThat(agent.await(ServerFrame.Stop.class).session()).isEqualTo(session);
            assertThat(session(session).get("state").asString()).isEqualTo("stopping");

            agent.send(batch(2, session, "stopped", event(4, "NETFILTER_DROP"), loss("kernel_ringbuf", 2, 7),
                    summaryRecord(11, 4, Map.of("kernel_ringbuf", 7L, "rate_limit", 0L))));
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(2);
            awaitSessionState(session, "stopped");

            JsonNode summary = summary(session);
            assertThat(summary.get("events").asLong()).isEqualTo(4);
            assertThat(summary.get("drops").asLong()).isEqualTo(2);
            assertThat(summary.get("dropsByReason").get("NO_SOCKET").asLong()).isEqualTo(1);
            assertThat(summary.get("dropsByReason").get("NETFILTER_DROP").asLong()).isEqualTo(1);
            assertThat(summary.get("lost").get("kernel_ringbuf").asLong()).isEqualTo(7);
            JsonNode host = summary.get("hosts").get(0);
            assertThat(host.get("host").asString()).isEqualTo(name);
            assertThat(host.get("state").asString()).isEqualTo("done");
            assertThat(host.get("endReason").asString()).isEqualTo("stopped");
            assertThat(host.get("matched").asLong()).isEqualTo(11);
            assertThat(host.get("lost").get("kernel_ringbuf").asLong()).isEqualTo(7);
            assertThat(host.get("summary").get("delivered").asLong()).isEqualTo(4);
            assertThat(host.get("gaps")).isEmpty();
            assertThat(ackedSeq(name)).isEqualTo(2);
        }
    }

    @Test
    void batchLargerThanOneWebSocketBufferIsStoredWhole() {
        String name = unique("bulk");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            io.skbtrail.protocol.WireRecord[] records = new io.skbtrail.protocol.WireRecord[5000];
            for (int i = 0; i < records.length; i++) {
                records[i] = event(i + 1, i % 10 == 0 ? "NO_SOCKET" : null);
            }
            String frame = batch(1, session, null, records);
            assertThat(frame.length()).as("several of the server's 64 KiB parts").isGreaterThan(1 << 20);
            agent.send(frame);
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(1);
            assertThat(session(session).get("events").asLong()).isEqualTo(5000);
            assertThat(summary(session).get("drops").asLong()).isEqualTo(500);
            assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
        }
    }

    @Test
    void sessionSelectsHostsByLabel() {
        String label = unique("rack");
        String name = unique("labelled");
        try (ScriptedAgentClient agent = agent(hello(name, UUID.randomUUID().toString(), Map.of("rack", label), 8,
                List.of()))) {
            long session = startSession("{\"filter\":\"udp\",\"labels\":{\"rack\":\"" + label + "\"}}");
            assertThat(agent.await(ServerFrame.Arm.class).session()).isEqualTo(session);
            assertThat(session(session).get("hosts").get(0).get("host").asString()).isEqualTo(name);
            agent.send(new AgentFrame.ArmFailed(session, "--filter-ifname: no interface \"eth9\" in netns"));
            awaitSessionState(session, "failed");
            assertThat(session(session).get("hosts").get(0).get("reason").asString())
                    .isEqualTo("--filter-ifname: no interface \"eth9\" in netns");
        }
    }

    @Test
    void reconnectBySameProcessResumesAfterTheAckedBatchAndANewProcessStartsOverWithAGap() {
        String name = unique("reconnect");
        String incarnation = UUID.randomUUID().toString();
        Token token = fleetToken();
        long session;
        try (ScriptedAgentClient agent = agent(token, hello(name, incarnation, Map.of(), 8, List.of()))) {
            session = tracingSession(agent, name);
            agent.send(batch(1, session, null, event(1, null)));
            agent.send(batch(2, session, null, event(2, null)));
            agent.await(ServerFrame.Ack.class, a -> a.seq() == 2);
        }
        awaitOffline(name);
        // The host is marked offline first, then its sessions: the second may trail by a moment.
        eventually("the session's host offline", () -> hostState(session).equals("offline"));

        // the same process comes back: it resends after batch 2 and kept tracing, so no gap remains
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, token.secret())) {
            agent.send(hello(name, incarnation, Map.of(), 8, List.of(session)));
            assertThat(agent.await(ServerFrame.Welcome.class).ackedSeq()).isEqualTo(2);
            eventually("host tracing again", () -> hostState(session).equals("tracing"));
            assertThat(summary(session).get("hosts").get(0).get("gaps")).isEmpty();
            agent.send(batch(3, session, null, event(3, null)));
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(3);
            assertThat(agent.hasReceived(ServerFrame.Arm.class)).as("no re-arm needed").isFalse();
        }
        awaitOffline(name);
        eventually("the session's host offline", () -> hostState(session).equals("offline"));

        // a new process: nothing of the old one is acknowledged, it is armed again and the loss shows as a gap
        String restarted = UUID.randomUUID().toString();
        try (ScriptedAgentClient agent = ScriptedAgentClient.connect(port, token.secret())) {
            agent.send(hello(name, restarted, Map.of(), 8, List.of()));
            assertThat(agent.await(ServerFrame.Welcome.class).ackedSeq()).isZero();
            assertThat(agent.await(ServerFrame.Arm.class).session()).isEqualTo(session);
            JsonNode gaps = summary(session).get("hosts").get(0).get("gaps");
            assertThat(gaps).isNotEmpty();
            assertThat(gaps.get(0).get("reason").asString()).isEqualTo("agent restarted: events it had not sent are lost");
            assertThat(gaps.get(0).get("to").isNull()).as("open until the new process is armed").isTrue();

            agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
            agent.await(ServerFrame.Start.class);
            agent.send(batch(1, session, null, event(1, null)));
            assertThat(agent.await(ServerFrame.Ack.class).seq()).isEqualTo(1);
            assertThat(storedEvents(session)).isEqualTo(4);
            assertThat(summary(session).get("hosts").get(0).get("gaps")).allSatisfy(g -> assertThat(g.get("to").isNull()).isFalse());
            assertThat(admin().post("/api/sessions/" + session + "/stop", null).status()).isEqualTo(202);
        }
    }

    private String hostState(long session) {
        return session(session).get("hosts").get(0).get("state").asString();
    }
}
