package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.downloads.LibpcapReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The journeys API as a client uses it: keyset paging, problems for bad input, exports, share links. */
class JourneyApiDbTest extends JourneyTestBase {
    private static final Instant T = Instant.parse("2026-11-25T13:00:00Z");

    /** Two hosts: {@code count} datagrams a → b (each a two-lane journey), one every 10 ms. */
    private long forwardedDatagrams(Hosts hosts, String options, int count) {
        long session = hosts.session(options, java.util.Map.of());
        List<io.skbtrail.protocol.Event> a = new ArrayList<>();
        List<io.skbtrail.protocol.Event> b = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant t = T.plusMillis(10L * i);
            int ipId = 100 + i;
            a.addAll(path(i + 1, t).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp").fp(ipId, null, null, 5, 0x77L + i, 5)
                    .bytes(udpFrame(ipId)).steps("net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit").events());
            b.addAll(path(i + 1, t.plusNanos(20_000)).tuple("10.0.1.1", 40000, "10.0.2.2", 9000, "udp")
                    .fp(ipId, null, null, 5, 0x77L + i, 5).bytes(udpFrame(ipId))
                    .steps("net:netif_receive_skb", "skb:kfree_skb!NO_SOCKET@__udp4_lib_rcv").events());
        }
        hosts.send("a", session, a);
        hosts.send("b", session, b);
        hosts.stop(session);
        return session;
    }

    @Test
    void keysetPagingWalksEveryJourneyOnceInTimeOrder() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = forwardedDatagrams(hosts, null, 23);
            Set<String> seen = new HashSet<>();
            List<String> firsts = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                JsonNode page = journeys(session, "limit=5" + (after == null ? "" : "&after=" + after));
                for (JsonNode j : page.get("journeys")) {
                    assertThat(seen.add(j.get("id").asString())).as("each journey once").isTrue();
                    firsts.add(j.get("first").asString());
                    assertThat(j.get("state").asString()).isEqualTo("dropped");
                    assertThat(j.get("dropReason").asString()).isEqualTo("NO_SOCKET");
                }
                after = page.get("next").isNull() ? null : page.get("next").asString();
                pages++;
            } while (after != null);
            assertThat(seen).hasSize(23);
            assertThat(pages).isEqualTo(5);
            assertThat(firsts).isSorted();
        }
    }

    @Test
    void badParametersAndUnknownIdsAreProblemsNamingTheField() {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = forwardedDatagrams(hosts, null, 1);
            String base = "/api/sessions/" + session + "/journeys";
            problem(admin().get(base + "?state=lost"), 400, "state");
            problem(admin().get(base + "?limit=0"), 400, "limit");
            problem(admin().get(base + "?limit=many"), 400, "limit");
            problem(admin().get(base + "?limit=1001"), 400, "limit");
            problem(admin().get(base + "?after=not-a-cursor"), 400, "after");
            problem(admin().get(base + "?host=no-such-host"), 400, "host");
            problem(admin().get(base + "?host2=no-such-host"), 400, "host2");
            problem(admin().get(base + "/banana"), 400, "journey");
            problem(admin().get(base + "/999999-1"), 404, null);
            problem(admin().get(base + "/999999-1.ndjson"), 404, null);
            problem(admin().get("/api/sessions/987654321/journeys"), 404, null);
            problem(admin().get("/api/diff?left=abc&right=1"), 400, "left");
            problem(admin().get("/api/diff?left=" + session), 400, "right");
            problem(admin().get("/api/diff?left=" + session + "&right=" + session + ":1-1"), 400, null);
            problem(admin().get("/api/diff?left=987654321&right=" + session), 404, null);
            assertThat(anonymous().get(base).status()).isEqualTo(401);
            assertThat(anonymous().get("/api/diff?left=1&right=2").status()).isEqualTo(401);
        }
    }

    @Test
    void aJourneyExportsAsNdjsonAndAsPcapngWithOneInterfacePerHostAndProbePoint() throws IOException {
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = forwardedDatagrams(hosts, "{\"output-packet-bytes\":64}", 2);
            JsonNode j = journeys(session, "").get("journeys").get(0);
            String id = j.get("id").asString();

            Http.Response ndjson = admin().get("/api/sessions/" + session + "/journeys/" + id + ".ndjson");
            assertThat(ndjson.status()).isEqualTo(200);
            assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
            assertThat(ndjson.headers().firstValue("Content-Disposition").orElseThrow())
                    .contains("skbtrail-session-" + session + "-journey-" + id + ".ndjson");
            String[] lines = ndjson.body().split("\n");
            assertThat(lines).hasSize(5);
            for (String line : lines) {
                JsonNode e = Http.json(line);
                assertThat(e.get("journey").asString()).isEqualTo(id);
                assertThat(e.has("alignedNs")).isTrue();
                if (!e.get("func").asString().equals("net:net_dev_xmit")) {
                    assertThat(e.get("fp").get("ip_id").asInt()).isEqualTo(100);
                }
            }
            assertThat(Http.json(lines[0]).get("host").asString()).isEqualTo(hosts.name("a"));
            assertThat(Http.json(lines[4]).get("drop_reason").asString()).isEqualTo("NO_SOCKET");

            Http.Bytes pcap = admin().getBytes("/api/sessions/" + session + "/journeys/" + id + ".pcapng");
            assertThat(pcap.status()).isEqualTo(200);
            Path file = Files.createTempFile("journey", ".pcapng");
            try {
                Files.write(file, pcap.body());
                LibpcapReader.Capture capture = LibpcapReader.read(file);
                assertThat(capture.packets()).as("every event with bytes (net_dev_xmit carries none)").hasSize(4);
                assertThat(interfaceNames(pcap.body())).containsExactly(hosts.name("a") + ":net:net_dev_queue",
                        hosts.name("a") + ":net:net_dev_start_xmit", hosts.name("b") + ":net:netif_receive_skb",
                        hosts.name("b") + ":skb:kfree_skb");
            } finally {
                Files.deleteIfExists(file);
            }
        }
        try (Hosts hosts = new Hosts("a", "b")) {
            long session = forwardedDatagrams(hosts, null, 1);
            String id = journeys(session, "").get("journeys").get(0).get("id").asString();
            problem(admin().get("/api/sessions/" + session + "/journeys/" + id + ".pcapng"), 409, null);
        }
    }

    @Test
    void aShareLinkReadsItsSessionsJourneysAndDiffsOnlyWithinThatSession() {
        try (Hosts hosts = new Hosts("a", "b"); Hosts others = new Hosts("a", "b")) {
            long session = forwardedDatagrams(hosts, null, 2);
            long other = forwardedDatagrams(others, null, 1);
            String token = admin().post("/api/sessions/" + session + "/share", null).json().get("token").asString();
            String base = "/api/shared/" + token;
            JsonNode list = anonymous().get(base + "/journeys").json();
            assertThat(list.get("journeys")).hasSize(2);
            String first = list.get("journeys").get(0).get("id").asString();
            String second = list.get("journeys").get(1).get("id").asString();
            assertThat(anonymous().get(base + "/journeys/" + first).json().get("lanes")).hasSize(2);
            assertThat(anonymous().get(base + "/journeys/" + first + ".ndjson").status()).isEqualTo(200);
            JsonNode diff = anonymous().get(base + "/diff?left=" + session + ":" + first + "&right=" + session + ":" + second)
                    .json();
            assertThat(diff.get("identical").asBoolean()).isTrue();
            problem(anonymous().get(base + "/diff?left=" + session + "&right=" + other), 404, null);
            problem(anonymous().get(base + "/diff?left=" + other + "&right=" + other), 404, null);
            problem(anonymous().get(base + "/diff?left=987654321&right=" + session), 404, null);
            assertThat(anonymous().get(base + "/diff?left=" + other + "&right=" + session).body())
                    .contains("not shared by this link").doesNotContain("does not exist");
            assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
            problem(anonymous().get(base + "/journeys"), 404, null);
            problem(anonymous().get(base + "/diff?left=" + session + "&right=" + session), 404, null);
        }
    }

    private static void problem(Http.Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        if (field != null) {
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        }
    }

    /** The names of a pcap-ng file's interface description blocks, in order. */
    private static List<String> interfaceNames(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at + 12 <= file.length) {
            int type = b.getInt(at);
            int length = b.getInt(at + 4);
            if (type == 1) {
                int opt = at + 16;
                while (opt + 4 <= at + length - 4) {
                    int code = b.getShort(opt) & 0xffff;
                    int len = b.getShort(opt + 2) & 0xffff;
                    if (code == 0) {
                        break;
                    }
                    if (code == 2) {
                        names.add(new String(file, opt + 4, len, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    opt += 4 + ((len + 3) & ~3);
                }
            }
            at += length;
        }
        return names;
    }

    /** An Ethernet frame with an IPv4/UDP datagram 10.0.1.1:40000 → 10.0.2.2:9000 carrying "hello". */
    static String udpFrame(int ipId) {
        byte[] f = new byte[14 + 20 + 8 + 5];
        f[12] = 0x08;
        ByteBuffer ip = ByteBuffer.wrap(f, 14, f.length - 14);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) 33).putShort((short) ipId).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 1, 1}).put(new byte[] {10, 0, 2, 2})
                .putShort((short) 40000).putShort((short) 9000).putShort((short) 13).putShort((short) 0)
                .put("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(f);
    }
}
