package io.skbtrail.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent link's frames, byte for byte: each golden file under {@code link/} is what the other side of a
 * released agent or server sends, so a change here is a protocol change (bump {@link LinkJson#PROTOCOL}).
 */
@Tag("unit")
class LinkJsonGoldenTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123456789Z");

    static Map<String, AgentFrame> agentFrames() {
        Map<String, AgentFrame> frames = new LinkedHashMap<>();
        frames.put("hello.json", new AgentFrame.Hello(1, "node-a", Map.of("zone", "eu-1", "role", "lb"),
                "3f0c8a8e-0d9a-4b8e-9d55-1c1c2f1e0a01", "feadd0ec-8f32-4ae6-bb0d-1f4f35e40dcb",
                "6.18.44", "amd64", "0.1.0", "tracepoint",
                List.of(new AgentFrame.Backend("kprobe_multi", false, "no kprobe PMU"),
                        new AgentFrame.Backend("tracepoint", true, null)), 8, List.of(4L, 7L)));
        frames.put("pong.json", new AgentFrame.Pong(12, T));
        frames.put("heartbeat.json", new AgentFrame.Heartbeat(T, List.of(new AgentFrame.SessionStatus(4, "tracing",
                1000, 990, Map.of("kernel_ringbuf", 10L, "agent_buffer", 0L))), 512, 0));
        frames.put("armed.json", new AgentFrame.Armed(4, "tracepoint", 21, List.of("tcp:tcp_bad_csum: not in this kernel")));
        frames.put("arm_failed.json", new AgentFrame.ArmFailed(5, "--filter-ifname: no interface \"eth9\" in netns"));
        return frames;
    }

    static Map<String, ServerFrame> serverFrames() {
        Map<String, ServerFrame> frames = new LinkedHashMap<>();
        frames.put("welcome.json", new ServerFrame.Welcome(3, 41, 1000));
        frames.put("reject.json", new ServerFrame.Reject("an agent named \"node-a\" is already connected"));
        frames.put("ping.json", new ServerFrame.Ping(12));
        frames.put("ack.json", new ServerFrame.Ack(41));
        frames.put("arm.json", new ServerFrame.Arm(4, "tcp and port 80",
                Map.of("filter-mark", "0x1/0xff", "output-stack", "true"), 100000, T));
        frames.put("start.json", new ServerFrame.Start(4));
        frames.put("stop.json", new ServerFrame.Stop(4));
        frames.put("update.json", new ServerFrame.Update(4, Map.of("filter-mark", "0x2")));
        return frames;
    }

    @Test
    void encodesEveryAgentFrameAsItsGoldenTextAndParsesItBack() {
        agentFrames().forEach((file, frame) -> {
            assertEquals(golden(file), LinkJson.encode(frame), file);
            assertEquals(frame, LinkJsonParser.agentFrame(golden(file)), file);
        });
    }

    @Test
    void encodesEveryServerFrameAsItsGoldenTextAndParsesItBack() {
        serverFrames().forEach((file, frame) -> {
            assertEquals(golden(file), LinkJson.encode(frame), file);
            assertEquals(frame, LinkJsonParser.serverFrame(golden(file)), file);
        });
    }

    @Test
    void encodesAnEventBatchAsItsGoldenTextAndParsesItBack() {
        EventJson json = new EventJson();
        StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), 17, 4, 2, "limit");
        List<WireRecord> records = List.of(GoldenRecords.all().get("event-ipv6-udp.ndjson"),
                new LossRecord(T, "agent_buffer", 5, 5));
        records.forEach(r -> json.appendTo(frame, r).append('\n'));
        assertEquals(golden("events.ndjson"), frame.toString());
        assertTrue(EventBatch.isBatch(frame));
        assertEquals(new EventBatch(17, 4, "limit", records), EventBatch.parse(frame.toString(), 1 << 16));
    }

    @Test
    void refusesFramesThatAreNotInTheProtocolNamingTheFault() {
        assertMessage("frame.type: unknown agent frame type \"shell\"", () -> LinkJsonParser.agentFrame("{\"type\":\"shell\"}"));
        assertMessage("pong: unknown field \"cmd\"",
                () -> LinkJsonParser.agentFrame("{\"type\":\"pong\",\"id\":1,\"agent_time\":\"2026-11-25T10:00:00.123456789Z\",\"cmd\":1}"));
        assertMessage("armed.session: expected integer in 1..9223372036854775807, got integer 0",
                () -> LinkJsonParser.agentFrame("{\"type\":\"armed\",\"session\":0,\"backend\":\"x\",\"probes\":1,\"not_traced\":[]}"));
        assertMessage("hello.labels.\"k\": expected string, got integer", () -> LinkJsonParser.agentFrame(
                golden("hello.json").replace("\"zone\":\"eu-1\"", "\"k\":1")));
        assertMessage("frame: longer than 65536 characters", () -> LinkJsonParser.agentFrame("{" + " ".repeat(70_000) + "}"));
        assertMessage("batch: count says 3 records, frame has 2",
                () -> EventBatch.parse(golden("events.ndjson").replace("\"count\":2", "\"count\":3"), 1 << 16));
        assertMessage("batch record 2: loss.count: missing",
                () -> EventBatch.parse(golden("events.ndjson").replace("\"count\":5,", ""), 1 << 16));
        assertMessage("batch.end: expected one of", () -> EventBatch.parse(
                golden("events.ndjson").replace("\"limit\"", "\"bored\""), 1 << 16));
    }

    private static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable parse) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    static String golden(String file) {
        try (InputStream in = LinkJsonGoldenTest.class.getResourceAsStream("link/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no golden file link/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
