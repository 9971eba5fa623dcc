package io.skbtrail.agent.lab;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** An agent's NDJSON output, parsed with the same codec the server uses. */
public record TraceOutput(List<Event> events, List<LossRecord> losses, Optional<SummaryRecord> summary) {

    public static TraceOutput parse(List<String> lines) {
        List<WireRecord> records = lines.stream().filter(l -> !l.isBlank()).map(EventJsonParser::parse).toList();
        return new TraceOutput(
                records.stream().filter(Event.class::isInstance).map(Event.class::cast).toList(),
                records.stream().filter(LossRecord.class::isInstance).map(LossRecord.class::cast).toList(),
                records.stream().filter(SummaryRecord.class::isInstance).map(SummaryRecord.class::cast).findFirst());
    }

    public List<Event> where(Predicate<Event> p) {
        return events.stream().filter(p).toList();
    }

    public boolean any(Predicate<Event> p) {
        return events.stream().anyMatch(p);
    }

    /** For assertion messages: the events as short lines. */
    public String describe() {
        StringBuilder s = new StringBuilder(events.size() + " events:\n");
        events.stream().limit(60).forEach(e -> s.append("  ").append(e.func())
                .append(e.dropReason() != null ? "(" + e.dropReason() + ")" : "")
                .append(" loc=").append(e.location())
                .append(" netns=").append(e.netns()).append(" if=").append(e.iface()).append(':').append(e.ifindex())
                .append(" mark=0x").append(Long.toHexString(e.mark()))
                .append(" pkt=").append(e.packetId())
                .append(" tuple=").append(e.tuple())
                .append(e.fp() != null ? " fp=" + e.fp() : "")
                .append(e.encap() != null ? " encap=" + e.encap() : "")
                .append(e.ct() != null ? " ct=" + e.ct() : "").append('\n'));
        return s.toString();
    }

    /**
     * Whether every event is about a packet that {@code p} accepts. net_dev_xmit events carry no
     * packet (the skb may be freed when it fires): they count when they share a packet id with an
     * accepted event.
     */
    public boolean allAbout(Predicate<Event> p) {
        java.util.Set<Long> accepted = events.stream().filter(e -> !isXmitDone(e)).filter(p)
                .map(Event::packetId).collect(java.util.stream.Collectors.toSet());
        return events.stream().allMatch(e -> isXmitDone(e) ? accepted.contains(e.packetId()) : p.test(e));
    }

    public static boolean isXmitDone(Event e) {
        return e.func().equals("net:net_dev_xmit");
    }

    /** Predicates on the tuple. */
    public static Predicate<Event> to(String daddr, int dport) {
        return e -> e.tuple() != null && daddr.equals(e.tuple().daddr()) && e.tuple().dport() == dport;
    }

    public static Predicate<Event> dport(int dport) {
        return e -> e.tuple() != null && e.tuple().dport() == dport;
    }
}
