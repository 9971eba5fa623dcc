package io.skbtrail.server.journeys;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.WireRecord;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.ScriptedAgentClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Journeys from scripted stand-ins for agents ({@link ScriptedAgentClient}): each "host" is a scripted agent
 * that sends exactly the events a test describes, so the join's edge cases (GSO, IPv6, NAT, VXLAN, skew) can be
 * set up precisely. Every host reports the same skb address and overlapping packet ids, as namespaces on one
 * kernel do, so a join that leaned on them would fail these tests.
 */
abstract class JourneyTestBase extends AgentLinkTestBase {
    /** The one skb address every scripted host reports: namespaces on one kernel share skb objects. */
    static final String SHARED_SKB = "0xffff888104a1c000";

    /** Scripted hosts tracing one session: role -> agent. */
    final class Hosts implements AutoCloseable {
        final Map<String, String> names = new LinkedHashMap<>();
        final Map<String, ScriptedAgentClient> agents = new LinkedHashMap<>();
        final Map<String, Long> batches = new LinkedHashMap<>();
        final Map<String, Long> events = new LinkedHashMap<>();

        Hosts(String... roles) {
            Token token = fleetToken();
            for (String spec : roles) {
                int eq = spec.indexOf('=');
                String role = eq < 0 ? spec : spec.substring(0, eq);
                String name = eq < 0 ? unique(role) : spec.substring(eq + 1);
                ScriptedAgentClient agent = agent(token, hello(name));
                names.put(role, name);
                agents.put(role, agent);
                batches.put(role, 0L);
                events.put(role, 0L);
            }
        }

        String name(String role) {
            return names.get(role);
        }

        /** A session on all these hosts, armed with this backend on each (role -> backend, default tracepoint). */
        long session(String options, Map<String, String> backends) {
            StringBuilder hosts = new StringBuilder();
            for (String name : names.values()) {
                hosts.append(hosts.length() == 0 ? "" : ",").append('"').append(name).append('"');
            }
            long session = startSession("{\"filter\":\"\",\"hosts\":[" + hosts + "]"
                    + (options == null ? "" : ",\"options\":" + options) + "}");
            for (Map.Entry<String, ScriptedAgentClient> a : agents.entrySet()) {
                a.getValue().await(ServerFrame.Arm.class, arm -> arm.session() == session);
                a.getValue().send(new AgentFrame.Armed(session, backends.getOrDefault(a.getKey(), "tracepoint"), 21,
                        List.of()));
                a.getValue().await(ServerFrame.Start.class, s -> s.session() == session);
            }
            return session;
        }

        long session() {
            return session(null, Map.of());
        }

        /** Sends these events from one host as one batch and waits until it is stored. */
        void send(String role, long session, List<Event> records) {
            long seq = batches.merge(role, 1L, Long::sum);
            agents.get(role).send(batch(seq, session, null, records.toArray(new WireRecord[0])));
            agents.get(role).await(ServerFrame.Ack.class, a -> a.seq() == seq);
        }

        private final java.util.Set<Long> answered = new java.util.HashSet<>();

        /** Answers every clock ping the server has sent so far, with this machine's clock, as an agent does. */
        void answerPings() {
            for (ScriptedAgentClient agent : agents.values()) {
                for (ServerFrame f : agent.frames()) {
                    if (f instanceof ServerFrame.Ping ping && answered.add(agent.hashCode() * 1_000_003L + ping.id())) {
                        agent.send(new AgentFrame.Pong(ping.id(), Instant.now()));
                    }
                }
            }
        }

        private Thread answering;

        /** Answers clock pings as they come, from a thread of their own, until closed (as an agent does at once). */
        void keepAnsweringPings() {
            answering = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (this) {
                        answerPings();
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "scripted-pongs");
            answering.setDaemon(true);
            answering.start();
        }

        /** Stops the session; every host sends its last (empty) batch and summary, as an agent does. */
        void stop(long session) {
            admin().post("/api/sessions/" + session + "/stop", "");
            for (Map.Entry<String, ScriptedAgentClient> a : agents.entrySet()) {
                a.getValue().await(ServerFrame.Stop.class, s -> s.session() == session);
                long seq = batches.merge(a.getKey(), 1L, Long::sum);
                a.getValue().send(batch(seq, session, "stopped", summaryRecord(0, 0, Map.of())));
                a.getValue().await(ServerFrame.Ack.class, ack -> ack.seq() == seq);
            }
            awaitSessionState(session, "stopped");
        }

        @Override
        public void close() {
            if (answering != null) {
                answering.interrupt();
            }
            agents.values().forEach(ScriptedAgentClient::close);
        }
    }

    /** One packet's path on one host: its probe points in order, 2 µs apart from {@code start}. */
    static final class HostPath {
        private final long packetId;
        private Instant at;
        private Event.Tuple tuple;
        private Event.Icmp icmp;
        private Event.Fingerprint fp;
        private Event.Encap encap;
        private Event.Conntrack ct;
        private String iface = "eth0";
        private String packetHex;
        private final List<Event> events = new ArrayList<>();
        private static long seq;

        HostPath(long packetId, Instant start) {
            this.packetId = packetId;
            this.at = start;
        }

        HostPath tuple(String saddr, int sport, String daddr, int dport, String proto) {
            tuple = new Event.Tuple(saddr, daddr, sport, dport, proto, "");
            return this;
        }

        HostPath icmp(int type, int id, int seq) {
            icmp = new Event.Icmp(type, 0, id, seq);
            return this;
        }

        HostPath fp(Integer ipId, Long tcpSeq, Long tcpAck, Integer payloadLen, Long hash, int hashed) {
            fp = new Event.Fingerprint(ipId, tcpSeq, tcpAck, payloadLen,
                    hash == null ? null : Event.Fingerprint.hashText(hash), hashed);
            return this;
        }

        HostPath encap(long vni, String saddr, int sport, String daddr, int dport, String proto) {
            encap = new Event.Encap("vxlan", vni, new Event.Tuple(saddr, daddr, sport, dport, proto, ""), null);
            return this;
        }

        HostPath noEncap() {
            encap = null;
            return this;
        }

        HostPath ct(boolean original, String[] orig, String[] reply) {
            ct = new Event.Conntrack(original ? Event.Conntrack.Direction.ORIGINAL : Event.Conntrack.Direction.REPLY,
                    ct(orig), ct(reply));
            return this;
        }

        HostPath noCt() {
            ct = null;
            return this;
        }

        HostPath iface(String name) {
            iface = name;
            return this;
        }

        HostPath bytes(String hex) {
            packetHex = hex;
            return this;
        }

        HostPath at(Instant t) {
            at = t;
            return this;
        }

        private static Event.CtTuple ct(String[] t) {
            return new Event.CtTuple(t[0], t[2], Integer.parseInt(t[1]), Integer.parseInt(t[3]), t[4]);
        }

        /**
         * Probe points: {@code func}, {@code func@location}, {@code func!REASON@location} (a drop). Each with the
         * path's current tuple, fingerprint, encapsulation and conntrack view.
         */
        HostPath steps(String... steps) {
            for (String step : steps) {
                String func = step;
                String reason = null;
                String location = null;
                int atSign = func.indexOf('@');
                if (atSign >= 0) {
                    location = func.substring(atSign + 1);
                    func = func.substring(0, atSign);
                }
                int bang = func.indexOf('!');
                if (bang >= 0) {
                    reason = func.substring(bang + 1);
                    func = func.substring(0, bang);
                }
                boolean xmitDone = func.equals("net:net_dev_xmit");
                events.add(Event.builder().time(at).ktimeNs(1_000_000 + ++seq).bootId(BOOT_ID).seq(seq).cpu(0)
                        .process("softirq").pid(0).skb(SHARED_SKB).packetId(packetId)
                        .probeType(Event.ProbeType.TRACEPOINT).func(func).location(location).dropReason(reason)
                        .netns(4026532000L).ifindex(2).iface(iface).proto(xmitDone ? 0 : 2048).mtu(1500).len(84)
                        .tuple(xmitDone ? null : tuple).icmp(xmitDone ? null : icmp).fp(xmitDone ? null : fp)
                        .encap(xmitDone ? null : encap).ct(xmitDone ? null : ct).packet(xmitDone ? null : packetHex)
                        .build());
                at = at.plusNanos(2_000);
            }
            return this;
        }

        List<Event> events() {
            return events;
        }
    }

    static HostPath path(long packetId, Instant start) {
        return new HostPath(packetId, start);
    }

    @SafeVarargs
    static List<Event> all(List<Event>... parts) {
        List<Event> out = new ArrayList<>();
        for (List<Event> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    JsonNode journeys(long session, String query) {
        var r = admin().get("/api/sessions/" + session + "/journeys" + (query.isEmpty() ? "" : "?" + query));
        if (r.status() != 200) {
            throw new AssertionError("journeys: " + r);
        }
        return r.json();
    }

    JsonNode journey(long session, String id) {
        var r = admin().get("/api/sessions/" + session + "/journeys/" + id);
        if (r.status() != 200) {
            throw new AssertionError("journey " + id + ": " + r);
        }
        return r.json();
    }

    /** The journeys of the list whose lanes include this host's packet. */
    JsonNode journeyOf(long session, String hostName, long packet) {
        for (JsonNode j : journeys(session, "limit=1000").get("journeys")) {
            JsonNode detail = journey(session, j.get("id").asString());
            for (JsonNode lane : detail.get("lanes")) {
                if (lane.get("host").asString().equals(hostName) && lane.get("packet").asLong() == packet) {
                    return detail;
                }
            }
        }
        throw new AssertionError("no journey holds " + hostName + " packet " + packet);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }
}
