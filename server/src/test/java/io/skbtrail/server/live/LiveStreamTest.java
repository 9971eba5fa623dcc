package io.skbtrail.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.WireRecord;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.Http;
import io.skbtrail.server.ScriptedAgentClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's live stream over real WebSockets against the real server: events stored from a scripted
 * agent reach each viewer with their seq and host, through that viewer's filter, resumable after a reconnect;
 * a viewer that does not read loses (and is told how many) while another gets everything; share links work
 * without login until revoked; other sites' pages and anonymous clients are refused.
 */
class LiveStreamTest extends AgentLinkTestBase {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    /** The headers a signed-in browser's page of this server sends with its WebSocket: cookie and origin. */
    private Map<String, String> browser(String user, String password) {
        Http browser = anonymous();
        Http.Response login = browser.get("/login");
        Matcher csrf = CSRF_FIELD.matcher(login.body());
        assertThat(csrf.find()).isTrue();
        Http.Response signedIn = browser.postForm("/login",
                Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
        assertThat(signedIn.status()).isEqualTo(302);
        String cookie = browser.cookie("JSESSIONID");
        assertThat(cookie).as("session cookie").isNotNull();
        return Map.of("Cookie", "JSESSIONID=" + cookie, "Origin", "http://localhost:" + port);
    }

    private Map<String, String> viewerBrowser() {
        Http viewer = newUser("viewer");
        return browser(viewer.user(), "pw-" + viewer.user());
    }

    private LiveClient live(long session, Map<String, String> headers) {
        return LiveClient.connect(port, "/api/sessions/" + session + "/live", headers);
    }

    private static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(e -> e.get("seq").asLong()).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    /** Sends events seq from..to (agent seqs) in batches of {@code perBatch}; {@code drop} every n-th, 0: none. */
    private static long feed(ScriptedAgentClient agent, long session, long batchSeq, long from, long to, int perBatch,
            int dropEvery) {
        List<WireRecord> records = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            records.add(event(s, dropEvery > 0 && s % dropEvery == 0 ? "NO_SOCKET" : null));
            if (records.size() == perBatch || s == to) {
                agent.send(batch(batchSeq++, session, null, records.toArray(new WireRecord[0])));
                records.clear();
            }
        }
        return batchSeq;
    }

    @Test
    void aViewerGetsStoredEventsWithSeqHostAndStatus() {
        String name = unique("live-basic");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            try (LiveClient viewer = live(session, viewerBrowser())) {
                JsonNode hello = viewer.await("hello");
                assertThat(hello.get("session").asLong()).isEqualTo(session);
                assertThat(hello.get("stream").asString()).isNotBlank();
                assertThat(hello.get("seq").asLong()).isZero();
                assertThat(hello.get("state").asString()).isEqualTo("running");
                viewer.subscribe(null, "{}");
                viewer.await("status", s -> s.get("subscribed").asBoolean()); // in before events are stored

                Event sent = event(1, null);
                agent.send(batch(1, session, null, sent, event(2, "NO_SOCKET"), loss("kernel_ringbuf", 5, 5),
                        event(3, null)));
                List<JsonNode> events = viewer.awaitEvents(e -> e.size() == 3);
                assertThat(seqs(events)).containsExactly(1L, 2L, 3L);
                JsonNode first = events.get(0);
                assertThat(first.get("host").asString()).isEqualTo(name);
                assertThat(first.get("session").asLong()).isEqualTo(session);
                assertThat(first.get("type").asString()).isEqualTo("event");
                assertThat(first.get("func").asString()).isEqualTo(sent.func());
                assertThat(first.get("skb").asString()).isEqualTo(sent.skb());
                assertThat(first.get("tuple").get("daddr").asString()).isEqualTo("10.231.9.2");
                assertThat(events.get(1).get("drop_reason").asString()).isEqualTo("NO_SOCKET");
                JsonNode frame = viewer.frames("events").get(viewer.frames("events").size() - 1);
                assertThat(frame.get("seq").asLong()).isEqualTo(3);
                assertThat(frame.get("dropped").asLong()).isZero();

                JsonNode status = viewer.await("status", s -> s.get("events").asLong() == 3);
                assertThat(status.get("state").asString()).isEqualTo("running");
                assertThat(status.get("dropsByReason").get("NO_SOCKET").asLong()).isEqualTo(1);
                JsonNode host = status.get("hosts").get(0);
                assertThat(host.get("host").asString()).isEqualTo(name);
                assertThat(host.get("state").asString()).isEqualTo("tracing");
                assertThat(host.get("events").asLong()).isEqualTo(3);
                assertThat(host.get("loss").get("kernel_ringbuf").asLong()).isEqualTo(5);
                assertThat(host.get("gaps").isArray()).isTrue();
                assertThat(host.has("rate")).isTrue();
                assertThat(viewer.await("status", s -> s.get("seq").asLong() == 3).get("dropped").asLong()).isZero();
            }
        }
    }

    @Test
    void aCompactViewerGetsWhatAnEventListShowsWithTheSameValuesAsTheFullForm() {
        String name = unique("live-compact");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            Map<String, String> headers = viewerBrowser();
            try (LiveClient compact = live(session, headers); LiveClient full = live(session, headers)) {
                compact.send("{\"type\":\"subscribe\",\"after\":null,\"compact\":\"yes\",\"filter\":{}}");
                assertThat(compact.await("error").get("field").asString()).isEqualTo("compact");
                compact.send("{\"type\":\"subscribe\",\"after\":null,\"compact\":true,\"filter\":{}}");
                full.subscribe(null, null);
                for (LiveClient v : List.of(compact, full)) {
                    v.await("status", x -> x.get("subscribed").asBoolean());
                }
                feed(agent, session, 1, 1, 6, 3, 3); // drops at 3 and 6
                List<JsonNode> small = compact.awaitEvents(e -> e.size() == 6);
                List<JsonNode> big = full.awaitEvents(e -> e.size() == 6);
                List<String> always = List.of("time", "host", "cpu", "process", "pid", "skb", "packet_id", "func", "netns",
                        "ifindex", "iface", "len", "tuple", "seq");
                for (int i = 0; i < 6; i++) {
                    JsonNode c = small.get(i);
                    JsonNode f = big.get(i);
                    List<String> keys = new ArrayList<>();
                    c.properties().forEach(p -> keys.add(p.getKey()));
                    boolean drop = i % 3 == 2;
                    List<String> expected = new ArrayList<>(always);
                    if (drop) {
                        expected.addAll(List.of("location", "drop_reason"));
                    }
                    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
                    for (String key : keys) {
                        if (!key.equals("tuple")) {
                            assertThat(c.get(key)).as(key).isEqualTo(f.get(key));
                        }
                    }
                    for (String key : List.of("saddr", "daddr", "sport", "dport", "proto")) {
                        assertThat(c.get("tuple").get(key)).as("tuple." + key).isEqualTo(f.get("tuple").get(key));
                    }
                    assertThat(c.get("tuple").size()).isEqualTo(5);
                    assertThat(c.has("location")).isEqualTo(!f.get("location").isNull());
                }
                String frame = compact.frames("events").get(0).toString();
                assertThat(frame).doesNotContain("boot_id", "ktime_ns", "probe_type", "\"session\"");
                assertThat(frame.length()).isLessThan(full.frames("events").get(0).toString().length() * 2 / 3);
            }
        }
    }

    @Test
    void eachViewerGetsWhatItsFilterSelectsAndABadFilterKeepsThePreviousOne() {
        String a = unique("live-fa");
        String b = unique("live-fb");
        try (ScriptedAgentClient agentA = agent(hello(a)); ScriptedAgentClient agentB = agent(hello(b))) {
            long session = startSession("{\"filter\":\"tcp\",\"hosts\":[\"" + a + "\",\"" + b + "\"]}");
            for (ScriptedAgentClient agent : List.of(agentA, agentB)) {
                agent.await(ServerFrame.Arm.class, x -> x.session() == session);
                agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
                agent.await(ServerFrame.Start.class, x -> x.session() == session);
            }
            Map<String, String> headers = viewerBrowser();
            try (LiveClient drops = live(session, headers); LiveClient onB = live(session, headers);
                    LiveClient all = live(session, headers)) {
                drops.subscribe(null, "{\"dropReason\":\"*\"}");
                onB.subscribe(null, "{\"host\":\"" + b + "\",\"dport\":\"8080\",\"daddr\":\"10.231.0.0/16\"}");
                all.subscribe(null, null);
                for (LiveClient v : List.of(drops, onB, all)) {
                    v.await("status", s -> s.get("subscribed").asBoolean());
                }
                feed(agentA, session, 1, 1, 10, 10, 5); // drops at 5 and 10
                feed(agentB, session, 1, 11, 14, 4, 0);
                all.awaitEvents(e -> e.size() == 14);
                assertThat(seqs(all.events())).isEqualTo(range(1, 14));
                List<JsonNode> dropEvents = drops.awaitEvents(e -> e.size() == 2);
                assertThat(dropEvents).allMatch(e -> e.get("drop_reason").asString().equals("NO_SOCKET"));
                List<JsonNode> bEvents = onB.awaitEvents(e -> e.size() == 4);
                assertThat(bEvents).allMatch(e -> e.get("host").asString().equals(b));

                // A bad filter is refused with the field and the REST query's message; the old one stays.
                onB.send("{\"type\":\"subscribe\",\"after\":null,\"filter\":{\"saddr\":\"10.1.2.300\"}}");
                JsonNode error = onB.await("error");
                assertThat(error.get("field").asString()).isEqualTo("saddr");
                assertThat(error.get("message").asString()).isEqualTo("\"10.1.2.300\" is not an IP address or CIDR prefix");
                Http.Response rest = admin().get("/api/sessions/" + session + "/events?saddr=10.1.2.300");
                assertThat(rest.status()).isEqualTo(400);
                assertThat(rest.json().get("errors").get(0).get("message").asString())
                        .isEqualTo(error.get("message").asString());
                onB.send("{\"type\":\"subscribe\",\"filter\":{\"port\":\"80\"}}");
                assertThat(onB.await("error", e -> e.get("field").asString().equals("port")).get("message").asString())
                        .startsWith("not a filter key");
                onB.send("{\"type\":\"subscribe\",\"filter\":{\"host\":\"no-such-host\"}}");
                assertThat(onB.await("error", e -> e.get("field").asString().equals("host")).get("message").asString())
                        .isEqualTo("unknown host \"no-such-host\"");
                onB.send("not json");
                onB.await("error", e -> e.get("field").isNull());

                feed(agentA, session, 3, 15, 16, 2, 0);
                feed(agentB, session, 2, 17, 18, 2, 0);
                all.awaitEvents(e -> e.size() == 18);
                List<JsonNode> later = onB.awaitEvents(e -> e.size() == 6);
                assertThat(later).allMatch(e -> e.get("host").asString().equals(b));
                // seqs are the server's, in the order batches were stored (A's and B's interleave)
                assertThat(seqs(later).subList(4, 6)).allMatch(seq -> seq > 14 && seq <= 18).isSorted();

                // Both hosts by a comma-separated list, as in the events query.
                onB.subscribe(0L, "{\"host\":\"" + a + "," + b + "\",\"dropReason\":\"*\"}");
                assertThat(onB.awaitEvents(e -> e.size() == 8).subList(6, 8))
                        .allMatch(e -> e.get("drop_reason").asString().equals("NO_SOCKET"));
                assertThat(admin().get("/api/sessions/" + session + "/events?dropReason=*&host=" + a + "," + b)
                        .json().get("events").size()).isEqualTo(2);
            }
        }
    }

    @Test
    void aReconnectingViewerResumesAfterItsLastSeqOrIsToldWhatItMissed() {
        String name = unique("live-resume");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            Map<String, String> headers = viewerBrowser();
            String stream;
            long last;
            try (LiveClient first = live(session, headers)) {
                stream = first.await("hello").get("stream").asString();
                first.subscribe(null, null);
                first.await("status", s -> s.get("subscribed").asBoolean());
                feed(agent, session, 1, 1, 5, 5, 0);
                last = seqs(first.awaitEvents(e -> e.size() == 5)).get(4);
            }
            long batch = feed(agent, session, 2, 6, 10, 5, 0);
            eventually("10 events stored", () -> storedEvents(session) == 10);
            try (LiveClient again = live(session, headers)) {
                assertThat(again.await("hello").get("seq").asLong()).isEqualTo(10);
                again.send("{\"type\":\"subscribe\",\"after\":" + last + ",\"stream\":\"" + stream + "\",\"filter\":{}}");
                assertThat(seqs(again.awaitEvents(e -> e.size() == 5))).isEqualTo(range(6, 10));
                feed(agent, session, batch, 11, 11, 1, 0);
                assertThat(seqs(again.awaitEvents(e -> e.size() == 6))).isEqualTo(range(6, 11));
                assertThat(again.frames("missed")).isEmpty();
            }

            // More than the live buffer holds (the tests run it with 20,000 events) since seq 11.
            int buffer = 20_000;
            feed(agent, session, batch + 1, 12, 11 + buffer + 500, 2_000, 0);
            eventually("all stored", () -> storedEvents(session) == 11 + buffer + 500);
            try (LiveClient late = live(session, headers)) {
                late.await("hello", h -> h.get("seq").asLong() == 11 + buffer + 500);
                late.subscribe(11L, null);
                JsonNode missed = late.await("missed");
                assertThat(missed.get("from").asLong()).isEqualTo(12);
                assertThat(missed.get("to").asLong()).isEqualTo(511);
                assertThat(missed.get("count").asLong()).isEqualTo(500);
                assertThat(missed.get("reason").asString()).isEqualTo("evicted");
                assertThat(missed.get("message").asString()).contains("events API");
                List<JsonNode> events = late.awaitEvents(e -> e.size() == buffer);
                assertThat(events.get(0).get("seq").asLong()).isEqualTo(512);
                assertThat(events.get(buffer - 1).get("seq").asLong()).isEqualTo(11 + buffer + 500);
            }
            try (LiveClient other = live(session, headers)) {
                other.send("{\"type\":\"subscribe\",\"after\":3,\"stream\":\"an-earlier-run\",\"filter\":{}}");
                JsonNode missed = other.await("missed");
                assertThat(missed.get("reason").asString()).isEqualTo("restarted");
                assertThat(missed.get("message").asString()).contains("restarted");
            }
        }
    }

    @Test
    void eventsStoredWhileNobodyWatchesAreNotKeptAndAViewerAskingForThemIsToldToPageThem() {
        String name = unique("live-unwatched");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            feed(agent, session, 1, 1, 30, 10, 0);
            eventually("30 events stored", () -> storedEvents(session) == 30);
            try (LiveClient viewer = live(session, viewerBrowser())) {
                assertThat(viewer.await("hello").get("seq").asLong()).isEqualTo(30);
                viewer.subscribe(0L, null);
                JsonNode missed = viewer.await("missed");
                assertThat(missed.get("from").asLong()).isEqualTo(1);
                assertThat(missed.get("to").asLong()).isEqualTo(30);
                assertThat(missed.get("reason").asString()).isEqualTo("unwatched");
                assertThat(missed.get("message").asString()).contains("nobody watched").contains("events API");
                // From the viewer's arrival on, events are kept and delivered.
                feed(agent, session, 4, 31, 35, 5, 0);
                assertThat(seqs(viewer.awaitEvents(e -> e.size() == 5))).isEqualTo(range(31, 35));
            }
        }
    }

    @Test
    void aViewerThatDoesNotReadLosesCountedEventsWhileAnotherGetsEverything() {
        String name = unique("live-slow");
        int total = 60_000;
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            Map<String, String> headers = viewerBrowser();
            try (LiveClient slow = LiveClient.notReading(port, "/api/sessions/" + session + "/live", headers);
                    LiveClient fast = live(session, headers)) {
                slow.subscribe(null, null);
                fast.subscribe(null, null);
                fast.await("status", s -> s.get("subscribed").asBoolean());
                Thread.sleep(200); // the slow viewer's subscription is read by the server, though it reads nothing

                long started = System.nanoTime();
                feed(agent, session, 1, 1, total, 2_000, 0);
                eventually("all stored", () -> storedEvents(session) == total);
                double storeSeconds = (System.nanoTime() - started) / 1e9;
                List<JsonNode> all = fast.awaitEvents(e -> e.size() == total);
                assertThat(seqs(all)).isEqualTo(range(1, total));
                assertThat(fast.frames("events")).allMatch(f -> f.get("dropped").asLong() == 0
                        && f.get("events").size() <= LiveSettings.FRAME_EVENTS);
                System.out.printf("live: %d events stored in %.2f s with a viewer that does not read%n", total,
                        storeSeconds);

                slow.startReading();
                // Whatever it did not get is counted: received + dropped = every event that matched.
                JsonNode settled = slow.await("status", s -> s.get("seq").asLong() == total
                        && s.get("dropped").asLong() + slow.events().size() == total);
                assertThat(settled.get("dropped").asLong()).as("the slow viewer lost events").isPositive();
                List<Long> got = seqs(slow.events());
                assertThat(got).isSorted().doesNotHaveDuplicates();
                assertThat(slow.isOpen()).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theStreamEndsWhenTheSessionStops() {
        String name = unique("live-end");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            try (LiveClient viewer = live(session, viewerBrowser())) {
                viewer.subscribe(null, null);
                viewer.await("status", s -> s.get("subscribed").asBoolean());
                feed(agent, session, 1, 1, 3, 3, 0);
                assertThat(admin().post("/api/sessions/" + session + "/stop", "").status()).isEqualTo(202);
                agent.await(ServerFrame.Stop.class, s -> s.session() == session);
                agent.send(batch(2, session, "stopped", event(4, null), summaryRecord(4, 4, Map.of())));
                JsonNode end = viewer.await("end");
                assertThat(end.get("state").asString()).isEqualTo("stopped");
                assertThat(seqs(viewer.events())).isEqualTo(range(1, 4));
                assertThat(viewer.awaitClose().code()).isEqualTo(1000);
                // the end comes after the last events and a final status
                List<JsonNode> frames = viewer.frames();
                assertThat(frames.get(frames.size() - 1).get("type").asString()).isEqualTo("end");
                assertThat(frames.get(frames.size() - 2).get("type").asString()).isEqualTo("status");
            }
            try (LiveClient after = live(session, viewerBrowser())) {
                assertThat(after.await("hello").get("state").asString()).isEqualTo("stopped");
                after.await("end");
                after.awaitClose();
            }
        }
    }

    @Test
    void aShareLinkStreamsWithoutLoginUntilRevoked() {
        String name = unique("live-share");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            String token = admin().post("/api/sessions/" + session + "/share", "{}").json().get("token").asString();
            try (LiveClient shared = LiveClient.connect(port, "/api/shared/" + token + "/live", Map.of())) {
                assertThat(shared.await("hello").get("session").asLong()).isEqualTo(session);
                shared.subscribe(null, null);
                shared.await("status", s -> s.get("subscribed").asBoolean());
                feed(agent, session, 1, 1, 2, 2, 0);
                shared.awaitEvents(e -> e.size() == 2);

                assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
                LiveClient.Closed closed = shared.awaitClose();
                assertThat(closed.code()).isEqualTo(1008);
                assertThat(closed.reason()).contains("revoked");
            }
            assertThatThrownBy(() -> LiveClient.connect(port, "/api/shared/" + token + "/live", Map.of()))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(404));
            assertThatThrownBy(() -> LiveClient.connect(port, "/api/shared/skbs_nonsense/live", Map.of()))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(404));
        }
    }

    @Test
    void otherSitesAnonymousClientsAndUnknownSessionsAreRefusedAtTheHandshake() {
        String name = unique("live-refused");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = tracingSession(agent, name);
            Map<String, String> browser = viewerBrowser();
            String path = "/api/sessions/" + session + "/live";
            Map<String, String> evil = Map.of("Cookie", browser.get("Cookie"), "Origin", "https://evil.example");
            assertThatThrownBy(() -> LiveClient.connect(port, path, evil))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(403));
            Map<String, String> noOrigin = Map.of("Cookie", browser.get("Cookie"));
            assertThatThrownBy(() -> LiveClient.connect(port, path, noOrigin))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(403));
            Map<String, String> anonymous = Map.of("Origin", "http://localhost:" + port);
            assertThatThrownBy(() -> LiveClient.connect(port, path, anonymous))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(401));
            assertThatThrownBy(() -> LiveClient.connect(port, "/api/sessions/999999999/live", browser))
                    .isInstanceOfSatisfying(LiveClient.Refused.class, r -> assertThat(r.status).isEqualTo(404));

            // A script with its own credentials (and no Origin, like any non-browser client) is let in.
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
            try (LiveClient script = LiveClient.connect(port, path, Map.of("Authorization", basic))) {
                assertThat(script.await("hello").get("session").asLong()).isEqualTo(session);
            }
        }
    }
}
