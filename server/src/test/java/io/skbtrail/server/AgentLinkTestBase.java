package io.skbtrail.server;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Helpers for tests that talk to the server over the agent link with a {@link ScriptedAgentClient} and check
 * the outcome through the API, as an operator would. Same configuration as every {@link ServerIntegrationTest},
 * so the server is still started once for all of them.
 */
public abstract class AgentLinkTestBase extends ServerIntegrationTest {
    protected static final String BOOT_ID = "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10";
    protected static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** An agent token as the admin made it: its id and its secret. */
    protected record Token(long id, String secret) {}

    protected Token fleetToken() {
        return token("{\"host\":null,\"description\":\"scripted agents\"}");
    }

    protected Token hostToken(String host) {
        return token("{\"host\":\"" + host + "\",\"description\":\"scripted agent\"}");
    }

    private Token token(String body) {
        Http.Response created = admin().post("/api/agent-tokens", body);
        if (created.status() != 201) {
            throw new AssertionError("could not create an agent token: " + created);
        }
        return new Token(created.json().get("id").asLong(), created.json().get("token").asString());
    }

    /** A hello as a real agent sends it, with the tracepoint backend. */
    protected static AgentFrame.Hello hello(String name, String incarnation, Map<String, String> labels,
            int maxSessions, List<Long> sessions) {
        return new AgentFrame.Hello(LinkJson.PROTOCOL, name, labels, incarnation, BOOT_ID, "6.18.44-test", "amd64",
                "0.1.0", "tracepoint", List.of(new AgentFrame.Backend("kprobe_multi", false, "no kprobe PMU"),
                        new AgentFrame.Backend("tracepoint", true, null)), maxSessions, sessions);
    }

    protected static AgentFrame.Hello hello(String name) {
        return hello(name, UUID.randomUUID().toString(), Map.of(), 8, List.of());
    }

    /** Connects with a fleet token, says hello and waits for the welcome. */
    protected ScriptedAgentClient agent(AgentFrame.Hello hello) {
        return agent(fleetToken(), hello);
    }

    protected ScriptedAgentClient agent(Token token, AgentFrame.Hello hello) {
        ScriptedAgentClient agent = ScriptedAgentClient.connect(port, token.secret());
        agent.send(hello);
        agent.await(ServerFrame.Welcome.class);
        return agent;
    }

    /** Starts a session as the admin; the body is the JSON of {@code POST /api/sessions}. */
    protected long startSession(String body) {
        Http.Response created = admin().post("/api/sessions", body);
        if (created.status() != 201) {
            throw new AssertionError("could not start a session: " + created);
        }
        return created.json().get("id").asLong();
    }

    /** A session on this one host, armed and tracing: the agent got Arm, answered Armed and got Start. */
    protected long tracingSession(ScriptedAgentClient agent, String host) {
        long session = startSession("{\"filter\":\"tcp\",\"hosts\":[\"" + host + "\"]}");
        agent.await(ServerFrame.Arm.class, a -> a.session() == session);
        agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
        agent.await(ServerFrame.Start.class, s -> s.session() == session);
        return session;
    }

    protected JsonNode session(long id) {
        return admin().get("/api/sessions/" + id).json();
    }

    protected JsonNode summary(long id) {
        return admin().get("/api/sessions/" + id + "/summary").json();
    }

    protected JsonNode events(long id) {
        return admin().get("/api/sessions/" + id + "/events?limit=1000").json().get("events");
    }

    /** The host as {@code GET /api/hosts} shows it, or null. */
    protected JsonNode host(String name) {
        for (JsonNode h : admin().get("/api/hosts").json()) {
            if (h.get("name").asString().equals(name)) {
                return h;
            }
        }
        return null;
    }

    /** Event rows stored for the session, whatever the API says. */
    protected long storedEvents(long session) {
        return jdbc.queryForObject("select count(*) from events where session_id = ?", Long.class, session);
    }

    /** The last event batch the server stored from this host's current agent process. */
    protected long ackedSeq(String host) {
        return jdbc.queryForObject("select acked_seq from hosts where name = ?", Long.class, host);
    }

    protected long rows(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    /** Waits up to 10 s for the condition, polling. */
    protected static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    protected void awaitSessionState(long session, String state) {
        eventually("session " + session + " " + state, () -> session(session).get("state").asString().equals(state));
    }

    protected void awaitOffline(String host) {
        eventually(host + " offline", () -> host(host).get("state").asString().equals("offline"));
    }

    /** An event of contract v1 from the scripted agent; {@code drop} is a drop reason or null. */
    protected static Event event(long seq, String drop) {
        return Event.builder().time(T0.plusMillis(seq)).ktimeNs(1_000_000 + seq).bootId(BOOT_ID).seq(seq).cpu(1)
                .process("curl").pid(4242).skb("0xffff8b7d9462c600").packetId(seq).probeType(Event.ProbeType.TRACEPOINT)
                .func(drop == null ? "net:netif_receive_skb" : "skb:kfree_skb").dropReason(drop)
                .location(drop == null ? null : "__udp4_lib_rcv").netns(4026531840L).ifindex(2).iface("eth0")
                .proto(2048).mtu(1500).len(60).tuple("10.231.9.1", 45036, "10.231.9.2", 8080, "tcp").build();
    }

    protected static LossRecord loss(String hop, long count, long total) {
        return new LossRecord(T0.plusSeconds(1), hop, count, total);
    }

    protected static SummaryRecord summaryRecord(long matched, long delivered, Map<String, Long> lost) {
        return new SummaryRecord(T0.plusSeconds(2), "tracepoint", 21, matched, delivered, delivered, lost, 2_000_000_000L);
    }

    /** The text of an event batch frame, built as the agent builds it. */
    protected static String batch(long seq, long session, String end, WireRecord... records) {
        StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), seq, session, records.length, end);
        EventJson json = new EventJson();
        for (WireRecord record : records) {
            json.appendTo(frame, record).append('\n');
        }
        return frame.toString();
    }
}
