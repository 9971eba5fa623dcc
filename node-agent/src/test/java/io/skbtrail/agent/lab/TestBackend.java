package io.skbtrail.agent.lab;

import java.util.List;

/**
 * The probe backend the kernel scenarios run with: {@code -Dskbtrail.test.backend=tracepoint} (the
 * host's kernel tier) or {@code kprobe} / {@code kprobe-multi} (the kernel lab's guests). Names the probe
 * points a scenario looks for in each, since kprobe backends report kernel functions rather than
 * tracepoints (they attach only the free tracepoints).
 */
public enum TestBackend {
    TRACEPOINT("tracepoint"), KPROBE("kprobe"), KPROBE_MULTI("kprobe-multi");

    /** Functions the scenarios need, so that the lab does not attach ~1,500 kprobes per scenario. */
    static final String SCENARIO_FUNCTIONS = "ip_rcv|ipv6_rcv|arp_rcv|__dev_queue_xmit|dev_hard_start_xmit"
            + "|nf_hook_slow|kfree_skb_reason|sk_skb_reason_drop|__kfree_skb|consume_skb|ip_local_deliver"
            + "|ip_forward|ip_output|ip_finish_output2|ip6_output|tcp_v4_rcv|tcp_v6_rcv|udp_rcv|__udp4_lib_rcv"
            + "|veth_xmit|__netif_rx|netif_rx|skb_clone|packet_rcv|tpacket_rcv|tcp_transmit_skb|__tcp_transmit_skb|napi_gro_receive";

    private final String flag;

    TestBackend(String flag) {
        this.flag = flag;
    }

    public static TestBackend current() {
        String name = System.getProperty("skbtrail.test.backend", "tracepoint");
        for (TestBackend b : values()) {
            if (b.flag.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("skbtrail.test.backend: unknown backend " + name);
    }

    /** Flags every scenario's agent gets. */
    public List<String> agentArgs() {
        return this == TRACEPOINT ? List.of("--backend", flag)
                : List.of("--backend", flag, "--filter-func", SCENARIO_FUNCTIONS);
    }

    public boolean isKprobe() {
        return this != TRACEPOINT;
    }

    /** Where a transmitted packet is handed to the driver. */
    public String transmitPoint() {
        return isKprobe() ? "dev_hard_start_xmit" : "net:net_dev_start_xmit";
    }

    /** Where the device queue is entered (the neighbour layer built the frame). */
    public String queuePoint() {
        return isKprobe() ? "__dev_queue_xmit" : "net:net_dev_queue";
    }

    /** Where a received packet of this protocol ("ip", "ipv6", "arp") enters the stack. */
    public String receivePoint(String protocol) {
        return isKprobe() ? protocol + "_rcv" : "net:netif_receive_skb";
    }

    /** Where a received IPv4 packet is handed to the local stack, whichever receive path (list or not) it took. */
    public String deliverPoint() {
        return isKprobe() ? "ip_local_deliver" : "net:netif_receive_skb";
    }

    /** Whether agents run inside the test's JVM (the lab: a JVM start costs seconds under emulation). */
    public static boolean inProcess() {
        return Boolean.getBoolean("skbtrail.test.inprocess");
    }
}
