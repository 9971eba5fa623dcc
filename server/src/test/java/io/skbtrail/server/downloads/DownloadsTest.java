package io.skbtrail.server.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.WireRecord;
import io.skbtrail.server.AgentLinkTestBase;
import io.skbtrail.server.ScriptedAgentClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Session downloads as a user gets them: NDJSON that the protocol's own strict parser reads back into the very
 * events the agent sent, CSV that a spreadsheet cannot be tricked by, and pcap-ng that the machine's libpcap
 * reads with the packets' bytes and nanosecond times; all with the events query's filters, and the same under
 * a share link.
 */
class DownloadsTest extends AgentLinkTestBase {
    private static final String HOSTILE_PROCESS = "=HYPERLINK(\"http://x.example\",\"ok\"),\"q\"\r\nsecond line";

    /** IPv4 + TCP, 10.231.9.1:45036 -> 10.231.9.2:8080 SYN, 40 bytes. */
    private static final String IP_TCP = "4500002800010000400600000ae709010ae70902afec1f90000000000000000050020000"
            + "00000000";
    /** The same in an Ethernet frame. */
    private static final String ETH_IP_TCP = "020000000002" + "020000000001" + "0800" + IP_TCP;

    private long session(ScriptedAgentClient agent, String host, String options) {
        long session = startSession("{\"filter\":\"tcp\",\"hosts\":[\"" + host + "\"],\"options\":" + options + "}");
        agent.await(ServerFrame.Arm.class, a -> a.session() == session);
        agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
        agent.await(ServerFrame.Start.class, s -> s.session() == session);
        return session;
    }

    private HttpResponse<byte[]> download(String path, String basicUser) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (basicUser != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basicUser + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private List<Event> hostileEvents() {
        List<Event> events = new ArrayList<>();
        events.add(event(1, null).toBuilder().process(HOSTILE_PROCESS).iface("eth0,\"x\"").build());
        events.add(event(2, "NO_SOCKET").toBuilder().location("-cmd|' /C calc'!A0").stack(List.of("a", "b")).build());
        events.add(event(3, null).toBuilder().tuple(null).proto(2054).build());
        return events;
    }

    @Test
    void ndjsonReadsBackIntoTheEventsTheAgentSentAndFiltersApply() {
        String name = unique("dl-ndjson");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = session(agent, name, "{}");
            List<Event> sent = hostileEvents();
            agent.send(batch(1, session, null, sent.toArray(new WireRecord[0])));
            eventually("stored", () -> storedEvents(session) == 3);

            HttpResponse<byte[]> all = download("/api/sessions/" + session + "/events.ndjson", "admin");
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
            assertThat(all.headers().firstValue("Content-Disposition").orElseThrow())
                    .isEqualTo("attachment; filename=\"skbtrail-session-" + session + ".ndjson\"");
            String suffix = ",\"host\":\"" + name + "\",\"session\":" + session + "}";
            List<Event> back = new ArrayList<>();
            for (String line : text(all).split("\n")) {
                assertThat(line).endsWith(suffix);
                back.add((Event) EventJsonParser.parse(line.substring(0, line.length() - suffix.length()) + "}"));
            }
            assertThat(back).isEqualTo(sent);

            HttpResponse<byte[]> drops = download("/api/sessions/" + session + "/events.ndjson?dropReason=*", "admin");
            assertThat(text(drops).split("\n")).hasSize(1).allMatch(l -> l.contains("\"drop_reason\":\"NO_SOCKET\""));
            HttpResponse<byte[]> bad = download("/api/sessions/" + session + "/events.ndjson?sport=http", "admin");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(text(bad)).contains("\"field\":\"sport\"", "must be a port number 0..65535");
            assertThat(download("/api/sessions/" + session + "/events.ndjson", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void csvQuotesAndDefusesHostileStrings() {
        String name = unique("dl-csv");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = session(agent, name, "{}");
            agent.send(batch(1, session, null, hostileEvents().toArray(new WireRecord[0])));
            eventually("stored", () -> storedEvents(session) == 3);

            HttpResponse<byte[]> csv = download("/api/sessions/" + session + "/events.csv", "admin");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
            assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
                    .contains("skbtrail-session-" + session + ".csv");
            List<List<String>> rows = Csv.parse(text(csv));
            assertThat(rows).hasSize(4);
            List<String> header = rows.get(0);
            assertThat(header).startsWith("time", "host", "session", "seq");
            assertThat(rows).allMatch(r -> r.size() == header.size());
            Map<String, String> first = Csv.row(header, rows.get(1));
            assertThat(first.get("time")).isEqualTo("2026-11-25T10:00:00.001000000Z");
            assertThat(first.get("host")).isEqualTo(name);
            // the formula is shown as text, quotes and line breaks survive
            assertThat(first.get("process")).isEqualTo("'" + HOSTILE_PROCESS);
            assertThat(first.get("iface")).isEqualTo("eth0,\"x\"");
            assertThat(first.get("saddr")).isEqualTo("10.231.9.1");
            assertThat(first.get("dport")).isEqualTo("8080");
            Map<String, String> second = Csv.row(header, rows.get(2));
            assertThat(second.get("drop_reason")).isEqualTo("NO_SOCKET");
            assertThat(second.get("location")).isEqualTo("'-cmd|' /C calc'!A0");
            assertThat(second.get("stack")).isEqualTo("a;b");
            Map<String, String> third = Csv.row(header, rows.get(3));
            assertThat(third.get("saddr")).isEmpty();
            assertThat(third.get("proto")).isEqualTo("2054");
        }
    }

    @Test
    void pcapngIsReadByLibpcapWithThePacketsTheirTimesAndComments() throws IOException {
        String a = unique("dl-pcap-a");
        String b = unique("dl-pcap-b");
        try (ScriptedAgentClient agentA = agent(hello(a)); ScriptedAgentClient agentB = agent(hello(b))) {
            long session = startSession("{\"filter\":\"tcp\",\"hosts\":[\"" + a + "\",\"" + b + "\"],"
                    + "\"options\":{\"output-packet-bytes\":128}}");
            for (ScriptedAgentClient agent : List.of(agentA, agentB)) {
                agent.await(ServerFrame.Arm.class, x -> x.session() == session);
                agent.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
                agent.await(ServerFrame.Start.class, x -> x.session() == session);
            }
            // On A: the frame with its Ethernet header (receive), then the same packet from its IP header on;
            // on B: dropped, from the IP header. An event without bytes (net_dev_xmit) has no packet.
            Event rx = event(1, null).toBuilder().packet(ETH_IP_TCP).build();
            Event ip = event(2, null).toBuilder().func("net:net_dev_queue").packet(IP_TCP).build();
            Event none = event(3, null).toBuilder().func("net:net_dev_xmit").tuple(null).proto(0).build();
            Event drop = event(4, "NO_SOCKET").toBuilder().iface(null).ifindex(0).packet(IP_TCP).build();
            agentA.send(batch(1, session, null, rx, ip, none));
            agentB.send(batch(1, session, null, drop));
            eventually("stored", () -> storedEvents(session) == 4);

            HttpResponse<byte[]> response = download("/api/sessions/" + session + "/events.pcapng", "admin");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                    .contains("skbtrail-session-" + session + ".pcapng");
            Path file = Files.createTempFile("skbtrail-test-", ".pcapng");
            try {
                Files.write(file, response.body());
                LibpcapReader.Capture capture = LibpcapReader.read(file);
                assertThat(capture.linkType()).as("LINKTYPE_ETHERNET").isEqualTo(1);
                assertThat(capture.packets()).hasSize(3);
                byte[] ipBytes = HexFormat.of().parseHex(IP_TCP);
                byte[] zeroEthernet = HexFormat.of().parseHex("000000000000" + "000000000000" + "0800" + IP_TCP);
                LibpcapReader.Packet p1 = capture.packets().get(0);
                assertThat(p1.data()).isEqualTo(HexFormat.of().parseHex(ETH_IP_TCP));
                assertThat(p1.seconds()).isEqualTo(T0.getEpochSecond());
                assertThat(p1.nanos()).isEqualTo(1_000_000);
                assertThat(p1.originalLength()).isEqualTo(60); // the skb's length (the IP header says 14 + 40)
                LibpcapReader.Packet p2 = capture.packets().get(1);
                assertThat(p2.data()).isEqualTo(zeroEthernet);
                assertThat(p2.nanos()).isEqualTo(2_000_000);
                assertThat(p2.originalLength()).isEqualTo(14 + 60);
                LibpcapReader.Packet p3 = capture.packets().get(2);
                assertThat(p3.data()).isEqualTo(zeroEthernet);
                assertThat(p3.nanos()).isEqualTo(4_000_000);
                assertThat(ipBytes.length).isEqualTo(40);
            } finally {
                Files.delete(file);
            }

            // The blocks as Wireshark shows them: an interface per host and interface, comments per packet.
            PcapngBlocks blocks = PcapngBlocks.parse(response.body());
            assertThat(blocks.interfaceNames()).containsExactly(a + ":eth0", b + ":-");
            assertThat(blocks.comments()).containsExactly(
                    a + " net:netif_receive_skb, packet 1, skb 0xffff8b7d9462c600",
                    a + " net:net_dev_queue, packet 2, skb 0xffff8b7d9462c600; no link-layer header at this probe"
                            + " point (zero Ethernet header added)",
                    b + " skb:kfree_skb drop NO_SOCKET at __udp4_lib_rcv, packet 4, skb 0xffff8b7d9462c600; no"
                            + " link-layer header at this probe point (zero Ethernet header added)");
            assertThat(blocks.tsresol()).containsOnly(9);

            // Filters as for the events query: only drops.
            LibpcapReader.Capture drops;
            Path dropsFile = Files.createTempFile("skbtrail-test-", ".pcapng");
            try {
                Files.write(dropsFile, download("/api/sessions/" + session + "/events.pcapng?dropReason=*", "admin").body());
                drops = LibpcapReader.read(dropsFile);
            } finally {
                Files.delete(dropsFile);
            }
            assertThat(drops.packets()).hasSize(1);
        }
    }

    @Test
    void pcapngOfASessionWithoutPacketBytesIsAConflict() {
        String name = unique("dl-nobytes");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = session(agent, name, "{}");
            HttpResponse<byte[]> refused = download("/api/sessions/" + session + "/events.pcapng", "admin");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
            assertThat(text(refused)).contains("did not capture packet bytes", "output-packet-bytes");
            assertThat(download("/api/sessions/999999999/events.csv", "admin").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aShareLinkDownloadsWithoutLoginUntilRevoked() {
        String name = unique("dl-share");
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = session(agent, name, "{}");
            agent.send(batch(1, session, null, event(1, null), event(2, null)));
            eventually("stored", () -> storedEvents(session) == 2);
            String token = admin().post("/api/sessions/" + session + "/share", "{}").json().get("token").asString();
            HttpResponse<byte[]> csv = download("/api/shared/" + token + "/events.csv", null);
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(Csv.parse(text(csv))).hasSize(3);
            assertThat(download("/api/shared/" + token + "/events.ndjson?host=" + name, null).statusCode()).isEqualTo(200);
            assertThat(admin().delete("/api/share/" + token).status()).isEqualTo(204);
            assertThat(download("/api/shared/" + token + "/events.csv", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aLargeSessionIsStreamedPageByPageInTimeOrder() {
        String name = unique("dl-large");
        int total = 12_345;
        try (ScriptedAgentClient agent = agent(hello(name))) {
            long session = session(agent, name, "{}");
            List<WireRecord> records = new ArrayList<>();
            long batch = 1;
            for (long s = 1; s <= total; s++) {
                records.add(event(s, null));
                if (records.size() == 4_000 || s == total) {
                    agent.send(batch(batch++, session, null, records.toArray(new WireRecord[0])));
                    records.clear();
                }
            }
            eventually("stored", () -> storedEvents(session) == total);
            String[] lines = text(download("/api/sessions/" + session + "/events.ndjson", "admin")).split("\n");
            assertThat(lines).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(lines[i]).contains("\"seq\":" + (i + 1) + ",");
            }
        }
    }

    /** A small RFC 4180 reader, for checking what a spreadsheet would see. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    i++;
                } else {
                    field.append(c);
                }
            }
            assertThat(field.length() == 0 && row.isEmpty()).as("the file ends with CRLF").isTrue();
            return rows;
        }

        static Map<String, String> row(List<String> header, List<String> values) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), values.get(i));
            }
            return m;
        }
    }

    /** Walks the pcap-ng blocks for what libpcap does not show: interface names, resolutions, comments. */
    record PcapngBlocks(List<String> interfaceNames, List<Integer> tsresol, List<String> comments) {
        static PcapngBlocks parse(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            List<String> names = new ArrayList<>();
            List<Integer> resolutions = new ArrayList<>();
            List<String> comments = new ArrayList<>();
            while (b.remaining() >= 12) {
                int start = b.position();
                int type = b.getInt(start);
                int length = b.getInt(start + 4);
                assertThat(b.getInt(start + length - 4)).as("trailing length").isEqualTo(length);
                int options = type == 1 ? start + 16 : type == 6 ? start + 28 + ((b.getInt(start + 20) + 3) & ~3)
                        : start + 24;
                while (options < start + length - 4) {
                    int code = b.getShort(options) & 0xffff;
                    int len = b.getShort(options + 2) & 0xffff;
                    if (code == 0) {
                        break;
                    }
                    byte[] value = new byte[len];
                    b.get(options + 4, value);
                    String text = new String(value, StandardCharsets.UTF_8);
                    if (type == 1 && code == 2) {
                        names.add(text);
                    } else if (type == 1 && code == 9) {
                        resolutions.add((int) value[0]);
                    } else if (type == 6 && code == 1) {
                        comments.add(text);
                    }
                    options += 4 + ((len + 3) & ~3);
                }
                b.position(start + length);
            }
            return new PcapngBlocks(names, resolutions, comments);
        }
    }
}
