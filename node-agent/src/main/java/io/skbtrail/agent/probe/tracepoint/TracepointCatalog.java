package io.skbtrail.agent.probe.tracepoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tracepoints that carry an skb, one entry per program of bpf/probe/tracepoint.bpf.c: the entry's
 * index is the program's probe id (keep both lists in sync; a unit test checks them against the built
 * object). Each entry says which tracepoint arguments the program reads, so that a kernel whose
 * tracepoint is missing or has other arguments gets that program disabled instead of a failed load.
 */
public final class TracepointCatalog {
    private static final Pattern SKB_POINTER = Pattern.compile("(const )?struct sk_buff \\*");

    /**
     * @param group tracefs group ({@code net}, {@code skb}, …)
     * @param skbArg index of the skb among the tracepoint's arguments
     * @param minArgs fewest arguments the program needs (it reads up to minArgs - 1)
     * @param maxArgs most arguments this variant is for (another program covers newer signatures)
     * @param argTypes C types required at some argument positions
     */
    public record Tracepoint(int probeId, String group, String name, String program, int skbArg, int minArgs,
            int maxArgs, Map<Integer, String> argTypes) {

        /** {@code net:netif_receive_skb}: how events name their probe point. */
        public String qualifiedName() {
            return group + ":" + name;
        }

        /**
         * Why this program cannot run on a kernel whose tracepoint has {@code args}, or empty if it can.
         *
         * @param args the tracepoint's argument types, or null if the kernel has no such tracepoint
         */
        public Optional<String> mismatch(List<String> args) {
            if (args == null) {
                return Optional.of("tracepoint " + qualifiedName() + " not in this kernel");
            }
            if (args.size() < minArgs || args.size() > maxArgs) {
                return Optional.of("tracepoint " + qualifiedName() + " has " + args.size() + " arguments"
                        + (minArgs == maxArgs ? ", this program reads " + minArgs
                                : ", this program needs " + minArgs + (maxArgs < 99 ? " to " + maxArgs : " or more")));
            }
            if (!SKB_POINTER.matcher(args.get(skbArg)).matches()) {
                return Optional.of("tracepoint " + qualifiedName() + " argument " + skbArg + " is "
                        + args.get(skbArg) + ", not struct sk_buff *");
            }
            for (Map.Entry<Integer, String> want : argTypes.entrySet()) {
                String have = args.get(want.getKey()).replaceFirst("^const ", "");
                if (!have.equals(want.getValue())) {
                    return Optional.of("tracepoint " + qualifiedName() + " argument " + want.getKey() + " is "
                            + have + ", not " + want.getValue());
                }
            }
            return Optional.empty();
        }
    }

    private static final int ANY = 99;

    /** Index = probe id. */
    public static final List<Tracepoint> ALL = List.of(
            skb(0, "net", "netif_receive_skb", 0),
            skb(1, "net", "netif_rx", 0),
            skb(2, "net", "napi_gro_receive_entry", 0),
            skb(3, "net", "napi_gro_frags_entry", 0),
            skb(4, "net", "netif_receive_skb_entry", 0),
            skb(5, "net", "netif_receive_skb_list_entry", 0),
            skb(6, "net", "netif_rx_entry", 0),
            skb(7, "net", "net_dev_queue", 0),
            skb(8, "net", "net_dev_start_xmit", 0),
            new Tracepoint(9, "net", "net_dev_xmit", "tp_net_dev_xmit", 0, 4, ANY,
                    Map.of(2, "struct net_device *", 3, "unsigned int")),
            new Tracepoint(10, "skb", "kfree_skb", "tp_kfree_skb", 0, 3, ANY,
                    Map.of(1, "void *", 2, "enum skb_drop_reason")),
            new Tracepoint(11, "skb", "kfree_skb", "tp_kfree_skb_noreason", 0, 2, 2, Map.of(1, "void *")),
            new Tracepoint(12, "skb", "consume_skb", "tp_consume_skb", 0, 2, ANY, Map.of(1, "void *")),
            new Tracepoint(13, "skb", "consume_skb", "tp_consume_skb_noloc", 0, 1, 1, Map.of()),
            skb(14, "skb", "skb_copy_datagram_iovec", 0),
            skb(15, "tcp", "tcp_retransmit_skb", 1),
            skb(16, "tcp", "tcp_send_reset", 1),
            skb(17, "tcp", "tcp_probe", 1),
            skb(18, "tcp", "tcp_bad_csum", 0),
            skb(19, "qdisc", "qdisc_enqueue", 2),
            skb(20, "qdisc", "qdisc_dequeue", 3),
            skb(21, "udp", "udp_fail_queue_rcv_skb", 2),
            skb(22, "sock", "sock_rcvqueue_full", 1));

    private TracepointCatalog() {}

    private static Tracepoint skb(int id, String group, String name, int skbArg) {
        return new Tracepoint(id, group, name, "tp_" + name, skbArg, skbArg + 1, ANY, Map.of());
    }

    /** The probe point name of a probe id, or {@code probe#N} for an id this agent does not know. */
    public static String qualifiedName(int probeId) {
        return probeId >= 0 && probeId < ALL.size() ? ALL.get(probeId).qualifiedName() : "probe#" + probeId;
    }
}
