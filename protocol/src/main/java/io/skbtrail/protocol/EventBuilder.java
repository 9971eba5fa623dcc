package io.skbtrail.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Mutable builder for {@link Event}: every setter is named after the record component. Numbers start at
 * zero and references at null, so {@link #build()} fails until the required components ({@code time},
 * {@code bootId}, {@code process}, {@code skb}, {@code probeType}, {@code func}) are set. Not thread-safe.
 */
public final class EventBuilder {
    private Instant time;
    private long ktimeNs;
    private String bootId;
    private long seq;
    private int cpu;
    private String process;
    private int pid;
    private String skb;
    private long packetId;
    private Event.ProbeType probeType;
    private String func;
    private String location;
    private String dropReason;
    private long netns;
    private long mark;
    private int ifindex;
    private String iface;
    private int proto;
    private int mtu;
    private int len;
    private Event.Tuple tuple;
    private Event.Icmp icmp;
    private List<String> stack;
    private String skbDump;
    private String packet;
    private String caller;
    private Event.Fingerprint fp;
    private Event.Encap encap;
    private Event.Conntrack ct;

    EventBuilder() {}

    EventBuilder(Event e) {
        this.time = e.time();
        this.ktimeNs = e.ktimeNs();
        this.bootId = e.bootId();
        this.seq = e.seq();
        this.cpu = e.cpu();
        this.process = e.process();
        this.pid = e.pid();
        this.skb = e.skb();
        this.packetId = e.packetId();
        this.probeType = e.probeType();
        this.func = e.func();
        this.location = e.location();
        this.dropReason = e.dropReason();
        this.netns = e.netns();
        this.mark = e.mark();
        this.ifindex = e.ifindex();
        this.iface = e.iface();
        this.proto = e.proto();
        this.mtu = e.mtu();
        this.len = e.len();
        this.tuple = e.tuple();
        this.icmp = e.icmp();
        this.stack = e.stack();
        this.skbDump = e.skbDump();
        this.packet = e.packet();
        this.caller = e.caller();
        this.fp = e.fp();
        this.encap = e.encap();
        this.ct = e.ct();
    }

    public EventBuilder time(Instant time) {
        this.time = time;
        return this;
    }

    public EventBuilder ktimeNs(long ktimeNs) {
        this.ktimeNs = ktimeNs;
        return this;
    }

    public EventBuilder bootId(String bootId) {
        this.bootId = bootId;
        return this;
    }

    public EventBuilder seq(long seq) {
        this.seq = seq;
        return this;
    }

    public EventBuilder cpu(int cpu) {
        this.cpu = cpu;
        return this;
    }

    public EventBuilder process(String process) {
        this.process = process;
        return this;
    }

    public EventBuilder pid(int pid) {
        this.pid = pid;
        return this;
    }

    public EventBuilder skb(String skb) {
        this.skb = skb;
        return this;
    }

    public EventBuilder packetId(long packetId) {
        this.packetId = packetId;
        return this;
    }

    public EventBuilder probeType(Event.ProbeType probeType) {
        this.probeType = probeType;
        return this;
    }

    public EventBuilder func(String func) {
        this.func = func;
        return this;
    }

    public EventBuilder location(String location) {
        this.location = location;
        return this;
    }

    public EventBuilder dropReason(String dropReason) {
        this.dropReason = dropReason;
        return this;
    }

    public EventBuilder netns(long netns) {
        this.netns = netns;
        return this;
    }

    public EventBuilder mark(long mark) {
        this.mark = mark;
        return this;
    }

    public EventBuilder ifindex(int ifindex) {
        this.ifindex = ifindex;
        return this;
    }

    public EventBuilder iface(String iface) {
        this.iface = iface;
        return this;
    }

    public EventBuilder proto(int proto) {
        this.proto = proto;
        return this;
    }

    public EventBuilder mtu(int mtu) {
        this.mtu = mtu;
        return this;
    }

    public EventBuilder len(int len) {
        this.len = len;
        return this;
    }

    public EventBuilder tuple(Event.Tuple tuple) {
        this.tuple = tuple;
        return this;
    }

    public EventBuilder icmp(Event.Icmp icmp) {
        this.icmp = icmp;
        return this;
    }

    public EventBuilder stack(List<String> stack) {
        this.stack = stack;
        return this;
    }

    public EventBuilder skbDump(String skbDump) {
        this.skbDump = skbDump;
        return this;
    }

    public EventBuilder packet(String packet) {
        this.packet = packet;
        return this;
    }

    public EventBuilder caller(String caller) {
        this.caller = caller;
        return this;
    }

    public EventBuilder fp(Event.Fingerprint fp) {
        this.fp = fp;
        return this;
    }

    public EventBuilder encap(Event.Encap encap) {
        this.encap = encap;
        return this;
    }

    public EventBuilder ct(Event.Conntrack ct) {
        this.ct = ct;
        return this;
    }

    /** Sets the tuple; {@code tcpFlags} is empty. */
    public EventBuilder tuple(String saddr, int sport, String daddr, int dport, String proto) {
        return tuple(new Event.Tuple(saddr, daddr, sport, dport, proto, ""));
    }

    /** Sets the stack to these frames, innermost first. */
    public EventBuilder stackOf(String... frames) {
        return stack(List.of(frames));
    }

    /**
     * The event with the values set so far.
     *
     * @throws NullPointerException when a required component is unset
     */
    public Event build() {
        return new Event(time, ktimeNs, bootId, seq, cpu, process, pid, skb, packetId, probeType, func,
                location, dropReason, netns, mark, ifindex, iface, proto, mtu, len, tuple, icmp, stack, skbDump,
                packet, caller, fp, encap, ct);
    }
}
