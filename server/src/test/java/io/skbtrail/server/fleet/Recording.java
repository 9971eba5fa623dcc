package io.skbtrail.server.fleet;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A recording for the ingest benchmark: events shaped like a tracepoint-backend trace of TCP traffic
 * (six probe points per packet, one drop in twenty packets, each packet fingerprinted), as an agent's NDJSON.
 */
final class Recording {
    private static final String[] FUNCS = {"net:net_dev_queue", "net:net_dev_start_xmit", "net:net_dev_xmit",
            "net:netif_receive_skb", "skb:skb_copy_datagram_iovec", "skb:consume_skb"};

    private Recording() {}

    static List<Event> generate(int count) {
        String boot = UUID.randomUUID().toString();
        Instant start = Instant.now();
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(i, boot, start.plusNanos(i * 2_000L), 1_000_000_000L + i * 2_000L, "iperf3"));
        }
        return events;
    }

    /**
     * The {@code i}-th event of such a trace (0-based): probe point {@code i % 6} of packet {@code i / 6 + 1}, the
     * last probe point of every twentieth packet a {@code NETFILTER_DROP}.
     */
    static Event event(long i, String boot, Instant time, long ktimeNs, String process) {
        long packet = i / FUNCS.length;
        boolean drop = packet % 20 == 19 && i % FUNCS.length == FUNCS.length - 1;
        return Event.builder().time(time).ktimeNs(ktimeNs)
                .bootId(boot).seq(i + 1).cpu((int) (i % 2)).process(process).pid(4242)
                .skb("0xffff8b7d" + String.format("%08x", (int) (packet * 256)))
                .packetId(packet + 1).probeType(Event.ProbeType.TRACEPOINT)
                .func(drop ? "skb:kfree_skb" : FUNCS[(int) (i % FUNCS.length)]).location(drop ? "nf_hook_slow" : null)
                .dropReason(drop ? "NETFILTER_DROP" : null).netns(4026531840L).mark(0).ifindex(2)
                .iface("eth0").proto(2048).mtu(1500).len(1448)
                .tuple("10.0." + (packet % 200) + ".1", 40000 + (int) (packet % 20000), "10.1.0.2", 5201, "tcp")
                // Agents fingerprint every IPv4 packet: one per packet, the same at each of its probe points.
                .fp(new Event.Fingerprint((int) (packet & 0xffff), (1_000_000L + packet * 1396) & 0xffff_ffffL, 5_000L,
                        1396, Event.Fingerprint.hashText(packet * 0x9e37_79b9_7f4a_7c15L), 32))
                .build();
    }

    static Path write(List<Event> events) throws IOException {
        Path file = Files.createTempFile("skbtrail-recording", ".ndjson");
        file.toFile().deleteOnExit();
        EventJson json = new EventJson();
        StringBuilder line = new StringBuilder(1024);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Event e : events) {
                line.setLength(0);
                json.appendTo(line, e).append('\n');
                out.append(line);
            }
        }
        return file;
    }
}
