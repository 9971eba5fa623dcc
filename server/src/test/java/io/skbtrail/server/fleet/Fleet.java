package io.skbtrail.server.fleet;

import io.skbtrail.agent.lab.NetnsLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Three test hosts in a row, each a network namespace watched by its own agent process:
 * {@code h1 (10.231.41.1) — h2 (forwards) — h3 (10.231.42.2, drops UDP to port 9999 with iptables)}.
 * They share this machine's kernel, so nothing here relies on what only one real host would have.
 */
public final class Fleet implements AutoCloseable {
    public static final String H3_ADDRESS = "10.231.42.2";
    public static final int DROPPED_PORT = 9999;

    final NetnsLab lab = new NetnsLab();
    public final ServerProcess server;
    public final Api admin;
    public final String run;
    final Map<String, String> netns = new LinkedHashMap<>();
    final Map<String, AgentProcessOnHost> agents = new LinkedHashMap<>();
    public final String token;
    private final boolean ownsServer;

    /** The veth ends: h1–h2 ([0] on h1, [1] on h2) and h2–h3 ([0] on h2, [1] on h3). */
    NetnsLab.End[] h1h2;
    NetnsLab.End[] h2h3;

    /** Starts a server of its own and makes a fleet token. */
    public Fleet() throws IOException, InterruptedException {
        this(newRun(), startServer(List.of()), null, null);
    }

    /**
     * A fleet whose server shifts the clock of these hosts (role to ns) as they report it: the test-only
     * stand-in for hosts with wrong clocks ({@code skbtrail.test.clock-skew-stand-in.<host>}).
     */
    static Fleet withClockSkew(Map<String, Long> skewByRole) throws IOException, InterruptedException {
        String run = newRun();
        List<String> args = new ArrayList<>();
        skewByRole.forEach((role, ns) -> args.add("-Dskbtrail.test.clock-skew-stand-in." + hostName(run, role) + "=" + ns));
        return new Fleet(run, startServer(args), null, null);
    }

    private static String newRun() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static ServerProcess startServer(List<String> args) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(args);
        server.start();
        return server;
    }

    /** The three hosts and their agents on {@code server}; a null {@code admin} means this fleet owns the server. */
    Fleet(ServerProcess server, Api admin, String token) throws IOException, InterruptedException {
        this(newRun(), server, admin, token);
    }

    private Fleet(String run, ServerProcess server, Api admin, String token) throws IOException, InterruptedException {
        this.run = run;
        this.server = server;
        this.ownsServer = admin == null;
        this.admin = admin != null ? admin : new Api(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
        this.token = token != null ? token : newToken(this.admin);
        for (String role : List.of("h1", "h2", "h3")) {
            netns.put(role, lab.host(role));
        }
        h1h2 = lab.link(netns.get("h1"), netns.get("h2"), 41);
        h2h3 = lab.link(netns.get("h2"), netns.get("h3"), 42);
        NetnsLab.exec(netns.get("h2"), "sysctl -qw net.ipv4.ip_forward=1");
        NetnsLab.exec(netns.get("h1"), "ip route add 10.231.42.0/24 via 10.231.41.2");
        NetnsLab.exec(netns.get("h3"), "ip route add 10.231.41.0/24 via 10.231.42.1");
        NetnsLab.exec(netns.get("h3"), "iptables -A INPUT -p udp --dport " + DROPPED_PORT + " -j DROP");
        for (String role : netns.keySet()) {
            startAgent(role);
        }
        awaitOnline(List.copyOf(netns.keySet()));
        awaitMeasuredClocks(List.copyOf(netns.keySet()));
    }

    /**
     * Until each host's clock is known within 20 ms. An agent answers its first pings while it loads its probes,
     * so its first bounds can be a second wide; the server pings every 2 s and keeps the tightest recent one.
     * Journeys line hosts up with these bounds, and a session armed before a good one arrives keeps a wide one.
     */
    private void awaitMeasuredClocks(List<String> roles) throws IOException, InterruptedException {
        await("clocks of " + roles + " measured within 20 ms", Duration.ofSeconds(60), () -> everyHost(roles, h -> {
            JsonNode uncertainty = h.get("clockUncertaintyNs");
            return uncertainty != null && !uncertainty.isNull() && uncertainty.asLong() < 20_000_000L;
        }));
    }

    /** Whether the hosts of these roles, as {@code GET /api/hosts} shows them, all meet {@code condition}. */
    private boolean everyHost(List<String> roles, Predicate<JsonNode> condition) throws IOException, InterruptedException {
        int meeting = 0;
        for (JsonNode h : admin.get("/api/hosts").body()) {
            for (String role : roles) {
                if (h.get("name").asString().equals(hostName(role)) && condition.test(h)) {
                    meeting++;
                }
            }
        }
        return meeting == roles.size();
    }

    private static String newToken(Api admin) throws IOException, InterruptedException {
        Api.Response created = admin.post("/api/agent-tokens", "{\"host\":null,\"description\":\"fleet test\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("token: " + created.status() + " " + created.text());
        }
        return created.body().get("token").asString();
    }

    public String hostName(String role) {
        return hostName(run, role);
    }

    static String hostName(String run, String role) {
        return "fleet-" + run + "-" + role;
    }

    /** Starts the agent of this host; one it replaces (killed by a test) is closed, its log deleted. */
    void startAgent(String role) throws IOException, InterruptedException {
        AgentProcessOnHost replaced = agents.put(role, AgentProcessOnHost.start(server.url(), token, hostName(role),
                netns.get(role), "run=" + run, "role=" + role));
        if (replaced != null) {
            replaced.close();
        }
    }

    void awaitOnline(List<String> roles) throws IOException, InterruptedException {
        await("hosts " + roles + " online", Duration.ofSeconds(90),
                () -> everyHost(roles, h -> h.get("state").asString().equals("online")));
    }

    /** Sends {@code count} UDP datagrams from h1 to h3's dropped port, one per second / 20. */
    public void sendDropped(int count) {
        NetnsLab.exec(netns.get("h1"), "for i in $(seq " + count + "); do echo probe > /dev/udp/" + H3_ADDRESS + "/"
                + DROPPED_PORT + "; sleep 0.05; done");
    }

    /** Runs a shell command inside this host's network namespace (traffic, listeners, firewall rules). */
    public void exec(String role, String command) {
        NetnsLab.exec(netns.get(role), command);
    }

    long startSession(String extra) throws IOException, InterruptedException {
        Api.Response r = admin.post("/api/sessions", "{\"filter\":\"udp and port " + DROPPED_PORT
                + "\",\"labels\":{\"run\":\"" + run + "\"}" + extra + "}");
        if (r.status() != 201) {
            throw new IllegalStateException("session: " + r.status() + " " + r.text());
        }
        return r.body().get("id").asLong();
    }

    public JsonNode session(long id) throws IOException, InterruptedException {
        return admin.get("/api/sessions/" + id).body();
    }

    public String hostState(long session, String role) throws IOException, InterruptedException {
        for (JsonNode h : session(session).get("hosts")) {
            if (h.get("host").asString().equals(hostName(role))) {
                return h.get("state").asString();
            }
        }
        return null;
    }

    public void awaitTracing(long session, List<String> roles) throws IOException, InterruptedException {
        await("session " + session + " tracing on " + roles, Duration.ofSeconds(60), () -> {
            for (String role : roles) {
                if (!"tracing".equals(hostState(session, role))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every stored event of the session on one host, through the paged API. */
    public List<JsonNode> events(long session, String role, String query) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = admin.get("/api/sessions/" + session + "/events?limit=500&host=" + hostName(role)
                    + (query.isEmpty() ? "" : "&" + query) + (after == null ? "" : "&after=" + after)).body();
            page.get("events").forEach(all::add);
            after = page.get("next").isNull() ? null : page.get("next").asString();
        } while (after != null);
        return all;
    }

    public JsonNode stopAndAwait(long session) throws IOException, InterruptedException {
        Api.Response r = admin.post("/api/sessions/" + session + "/stop", "");
        if (r.status() != 202) {
            throw new IllegalStateException("stop: " + r.status() + " " + r.text());
        }
        await("session " + session + " stopped", Duration.ofSeconds(30),
                () -> session(session).get("state").asString().equals("stopped"));
        return admin.get("/api/sessions/" + session + "/summary").body();
    }

    static JsonNode hostSummary(JsonNode summary, String hostName) {
        for (JsonNode h : summary.get("hosts")) {
            if (h.get("host").asString().equals(hostName)) {
                return h;
            }
        }
        throw new AssertionError("no host " + hostName + " in " + summary);
    }

    public interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    public void await(String what, Duration timeout, Check check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (Map.Entry<String, AgentProcessOnHost> a : agents.entrySet()) {
                    logs.append("\n--- agent ").append(a.getKey()).append(":\n").append(tail(a.getValue().log()));
                }
                throw new AssertionError("timed out waiting for " + what + "\n--- server:\n" + tail(server.logText()) + logs);
            }
            Thread.sleep(100);
        }
    }

    static <T> long count(List<T> items, Predicate<T> p) {
        return items.stream().filter(p).count();
    }

    private static String tail(String text) {
        return text.length() < 6000 ? text : text.substring(text.length() - 6000);
    }

    void closeAgentsAndLab() throws InterruptedException {
        for (AgentProcessOnHost a : agents.values()) {
            a.close();
        }
        lab.close();
    }

    @Override
    public void close() throws InterruptedException {
        closeAgentsAndLab();
        if (ownsServer) {
            server.close();
        }
    }
}
