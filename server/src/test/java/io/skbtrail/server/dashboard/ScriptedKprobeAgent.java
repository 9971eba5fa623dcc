package io.skbtrail.server.dashboard;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.server.ScriptedAgentClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A scripted stand-in for an agent with the kprobe.multi backend, which this machine's kernel may not allow: its
 * packets pass kernel functions (ip_rcv, nf_hook_slow, …) where the tracepoint agents' pass tracepoints, and one
 * of its functions is named with markup, as only a stand-in can send it.
 */
final class ScriptedKprobeAgent implements AutoCloseable {
    static final String HOSTILE = "<img src=x onerror=alert(2)>";
    private static final String BOOT_ID = "8c1d6f3e-2b4a-4c9e-a7d5-1e3f5b7c9d20";

    final String name;
    private final ScriptedAgentClient link;
    private long batches;

    ScriptedKprobeAgent(int port, String token, String name) {
        this.name = name;
        link = ScriptedAgentClient.connect(port, token);
        link.send(new AgentFrame.Hello(LinkJson.PROTOCOL, name, Map.of(), UUID.randomUUID().toString(), BOOT_ID,
                "6.12.0", "amd64", "0.1.0", "kprobe_multi", List.of(new AgentFrame.Backend("kprobe_multi", true, null)),
                8, List.of()));
        link.await(ServerFrame.Welcome.class);
    }

    /** Arms the session with kprobe.multi, then sends three datagrams to {@code daddr:dport}, dropped by the firewall. */
    void traceDrops(long session, String saddr, String daddr, int dport) {
        link.await(ServerFrame.Arm.class, a -> a.session() == session);
        link.send(new AgentFrame.Armed(session, "kprobe_multi", 1500, List.of()));
        link.await(ServerFrame.Start.class, s -> s.session() == session);
        Instant t0 = Instant.now();
        List<Event> events = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            Instant t = t0.plusMillis(5L * p);
            String[] funcs = {"ip_rcv", HOSTILE, "nf_hook_slow", "kfree_skb_reason"};
            for (int i = 0; i < funcs.length; i++) {
                boolean drop = i == funcs.length - 1;
                events.add(Event.builder().time(t.plusNanos(2_000L * i)).ktimeNs(9_000_000L * p + 2_000L * i)
                        .bootId(BOOT_ID).seq(events.size() + 1).cpu(0).process("swapper/0").pid(0)
                        .skb("0xffff8b7d9462" + String.format("%04x", p * 256)).packetId(p)
                        .probeType(Event.ProbeType.KPROBE_MULTI).func(funcs[i]).dropReason(drop ? "NETFILTER_DROP" : null)
                        .location(drop ? "nf_hook_slow" : null).netns(4026531840L).ifindex(2).iface("eth0")
                        .proto(2048).mtu(1500).len(40).tuple(saddr, 40000 + p, daddr, dport, "udp").build());
            }
        }
        send(session, null, events);
    }

    /** Answers the stop as an agent does: the last batch with its summary. */
    void stop(long session) {
        link.await(ServerFrame.Stop.class, s -> s.session() == session);
        SummaryRecord summary = new SummaryRecord(Instant.now(), "kprobe_multi", 1500, 12, 12, 12, Map.of(), 1_000_000_000L);
        StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), ++batches, session, 1, "stopped");
        new EventJson().appendTo(frame, summary).append('\n');
        link.send(frame.toString());
        link.await(ServerFrame.Ack.class, a -> a.seq() == batches);
    }

    private void send(long session, String end, List<Event> events) {
        StringBuilder frame = EventBatch.appendHeader(new StringBuilder(), ++batches, session, events.size(), end);
        EventJson json = new EventJson();
        for (Event e : events) {
            json.appendTo(frame, e).append('\n');
        }
        link.send(frame.toString());
        long seq = batches;
        link.await(ServerFrame.Ack.class, a -> a.seq() == seq);
    }

    @Override
    public void close() {
        link.close();
    }
}
