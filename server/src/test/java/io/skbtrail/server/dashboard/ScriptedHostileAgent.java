package io.skbtrail.server.dashboard;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.server.ScriptedAgentClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A scripted stand-in for an agent whose host sends hostile strings: a label value, process, interface, probe
 * point and drop location that are HTML. A real agent reports what its kernel says, so only a stand-in can send
 * these; the server refuses such text as a host name (it checks names), so the name is a plain one.
 */
final class ScriptedHostileAgent implements AutoCloseable {
    static final String NAME = "scripted-hostile-strings";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final String BOOT_ID = "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10";

    private final ScriptedAgentClient link;
    private long batches;

    ScriptedHostileAgent(int port, String token) {
        link = ScriptedAgentClient.connect(port, token);
        link.send(new AgentFrame.Hello(LinkJson.PROTOCOL, NAME, Map.of("note", HOSTILE), UUID.randomUUID().toString(),
                BOOT_ID, "6.18.44-" + HOSTILE, "amd64", "0.1.0", "tracepoint",
                List.of(new AgentFrame.Backend("tracepoint", true, null)), 8, List.of()));
        link.await(ServerFrame.Welcome.class);
    }

    /** Answers the session's arm, waits for its start and sends one packet's path, ending in a drop. */
    void traceOnePacket(long session) {
        link.await(ServerFrame.Arm.class, a -> a.session() == session);
        link.send(new AgentFrame.Armed(session, "tracepoint", 21, List.of()));
        link.await(ServerFrame.Start.class, s -> s.session() == session);
        Instant t0 = Instant.now();
        List<Event> path = List.of(event(t0, 0, "net:netif_receive_skb", null), event(t0, 1, HOSTILE, null),
                event(t0, 2, "skb:kfree_skb", "NO_SOCKET"));
        StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), ++batches, session, path.size(), null);
        EventJson json = new EventJson();
        for (Event e : path) {
            json.appendTo(frame, e).append('\n');
        }
        link.send(frame.toString());
        link.await(ServerFrame.Ack.class);
    }

    private static Event event(Instant t0, int step, String func, String drop) {
        return Event.builder().time(t0.plusNanos(1_500L * step)).ktimeNs(1_000_000 + 1_500L * step).bootId(BOOT_ID)
                .seq(step + 1).cpu(1).process(HOSTILE).pid(4242).skb("0xffff8b7d9462c600").packetId(77)
                .probeType(Event.ProbeType.TRACEPOINT).func(func).dropReason(drop)
                .location(drop == null ? null : HOSTILE).netns(4026531840L).ifindex(2).iface(HOSTILE).proto(2048)
                .mtu(1500).len(60).tuple("10.231.9.1", 45036, "10.231.9.2", 8080, "tcp").build();
    }

    @Override
    public void close() {
        link.close();
    }
}
