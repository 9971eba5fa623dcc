package io.skbtrail.server.journeys;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a probe point says about where a packet is: arriving from a device, leaving through one, handed to a
 * socket (or to the kernel's own ICMP handler), freed as a drop. Names are those of the tracepoints and of the
 * kernel functions the kprobe backends attach to; anything unknown has no role and only shows in the path.
 */
public final class ProbeRoles {
    /** Arrived from a device: the receive entry points. */
    public static final int RX = 1;
    /** Handed to a device or its queue, before the driver took it. */
    public static final int TX = 2;
    /** The driver took it ({@code net:net_dev_xmit}, which fires after the packet may already be elsewhere). */
    public static final int TX_DONE = 4;
    /** Reached a socket or the kernel's own handler of the protocol. */
    public static final int DELIVER = 8;
    /** Freed with a drop reason. */
    public static final int DROP = 16;
    /** Freed by a plain {@code kfree_skb()}: {@code NOT_SPECIFIED}, which may or may not be a drop. */
    public static final int DROP_UNSPECIFIED = 32;

    public static final String NOT_SPECIFIED = "NOT_SPECIFIED";

    private static final Map<String, Integer> BY_FUNC = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> SOCKET_LOCATION = new ConcurrentHashMap<>();

    private static final List<String> RX_TRACEPOINTS = List.of("net:netif_receive_skb", "net:netif_rx",
            "net:netif_receive_skb_entry", "net:netif_rx_entry", "net:netif_rx_ni_entry", "net:napi_gro_receive_entry",
            "net:napi_gro_frags_entry", "net:netif_receive_skb_list_entry");
    private static final List<String> TX_TRACEPOINTS = List.of("net:net_dev_queue", "net:net_dev_start_xmit",
            "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue");
    private static final List<String> DELIVER_TRACEPOINTS = List.of("skb:skb_copy_datagram_iovec", "tcp:tcp_probe");
    private static final List<String> RX_FUNCTION_PREFIXES = List.of("netif_receive_skb", "__netif_receive_skb",
            "netif_rx", "__netif_rx", "napi_gro_", "gro_", "dev_gro_", "ip_rcv", "ipv6_rcv", "ip6_rcv",
            "eth_type_trans", "enqueue_to_backlog", "vxlan_rcv");
    private static final List<String> TX_FUNCTION_PARTS = List.of("xmit", "ip_output", "ip_finish_output",
            "ip6_output", "ip6_finish_output", "ip_local_out", "ip6_local_out", "neigh_resolve_output",
            "dev_queue", "qdisc_");
    /** Functions at or behind the socket lookup, and the protocols' own receive handlers. */
    private static final List<String> DELIVER_FUNCTIONS = List.of("tcp_v4_rcv", "tcp_v6_rcv", "tcp_v4_do_rcv",
            "tcp_v6_do_rcv", "tcp_rcv_established", "tcp_rcv_state_process", "tcp_data_queue", "tcp_queue_rcv",
            "tcp_add_backlog", "udp_queue_rcv_skb", "udp_queue_rcv_one_skb", "udpv6_queue_rcv_skb",
            "udpv6_queue_rcv_one_skb", "__udp_enqueue_schedule_skb", "sock_queue_rcv_skb", "sock_queue_rcv_skb_reason",
            "__sock_queue_rcv_skb", "raw_rcv", "rawv6_rcv", "ping_rcv", "icmp_rcv", "icmpv6_rcv",
            "skb_copy_datagram_iter", "skb_consume_udp", "__skb_recv_udp");
    /** Where a consumed (not dropped) packet was freed by its socket or protocol handler. */
    private static final List<String> SOCKET_LOCATION_PREFIXES = List.of("tcp_", "udp", "__udp", "skb_consume_udp",
            "skb_free_datagram", "__skb_datagram", "skb_recv", "__skb_recv", "sock_", "sk_", "__sk_", "inet_", "raw",
            "ping_", "icmp");

    private ProbeRoles() {}

    /** The roles of one event. */
    public static int of(String func, String location, String dropReason) {
        int roles = BY_FUNC.computeIfAbsent(func, ProbeRoles::ofFunc);
        if (dropReason != null) {
            roles |= NOT_SPECIFIED.equals(dropReason) ? DROP_UNSPECIFIED : DROP;
        } else if (location != null && isConsume(func) && SOCKET_LOCATION.computeIfAbsent(location, ProbeRoles::isSocket)) {
            roles |= DELIVER;
        }
        return roles;
    }

    private static boolean isConsume(String func) {
        return func.equals("skb:consume_skb") || func.equals("consume_skb") || func.equals("__consume_stateless_skb");
    }

    private static boolean isSocket(String location) {
        for (String p : SOCKET_LOCATION_PREFIXES) {
            if (location.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static int ofFunc(String func) {
        if (func.equals("net:net_dev_xmit")) {
            return TX_DONE;
        }
        if (RX_TRACEPOINTS.contains(func)) {
            return RX;
        }
        if (TX_TRACEPOINTS.contains(func)) {
            return TX;
        }
        if (DELIVER_TRACEPOINTS.contains(func)) {
            return DELIVER;
        }
        if (func.indexOf(':') >= 0) {
            return 0; // another tracepoint (frees, tcp and sock events without a role of their own)
        }
        if (DELIVER_FUNCTIONS.contains(func)) {
            return DELIVER;
        }
        for (String p : RX_FUNCTION_PREFIXES) {
            if (func.startsWith(p)) {
                return RX;
            }
        }
        for (String part : TX_FUNCTION_PARTS) {
            if (func.contains(part)) {
                return TX;
            }
        }
        return 0;
    }
}
