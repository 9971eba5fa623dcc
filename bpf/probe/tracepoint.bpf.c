// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint backend: tp_btf programs on the tracepoints that carry an skb. Always available
 * (kernel BTF is the only need), and the only backend on kernels without kprobes.
 *
 * Each program's probe id is its index in node-agent io/skbtrail/agent/probe/tracepoint/
 * TracepointCatalog.java, which also says which arguments each one expects: the agent checks the
 * running kernel's tracepoint signatures (BTF `btf_trace_<name>`) and disables, before load, the
 * programs whose tracepoint is missing or differs. Keep both lists in sync.
 */
#include "../include/handler.h"
#include "../include/clone.h"

char LICENSE[] SEC("license") = "GPL";

#define HIT(id, hook_kind) ((struct hit){ .probe_id = (id), .hook = (hook_kind) })

/* A tracepoint whose argument `arg` is the skb. */
#define SKB_TRACEPOINT(id, tp, program, arg, hook_kind)                                 \
	SEC("tp_btf/" #tp)                                                               \
	int program(u64 *ctx)                                                            \
	{                                                                                \
		return handle_skb(ctx, (struct sk_buff *)ctx[arg], HIT(id, hook_kind));  \
	}

/* A tracepoint that also passes the skb's socket (argument `sk_arg`). */
#define SOCK_TRACEPOINT(id, tp, program, sk_arg, skb_arg, hook_kind)                        \
	SEC("tp_btf/" #tp)                                                                   \
	int program(u64 *ctx)                                                                \
	{                                                                                    \
		struct hit h = { .probe_id = (id), .hook = (hook_kind),                      \
				 .sk = (struct sock *)ctx[sk_arg] };                          \
		return handle_skb(ctx, (struct sk_buff *)ctx[skb_arg], h);                   \
	}

SKB_TRACEPOINT(0, netif_receive_skb, tp_netif_receive_skb, 0, HOOK_RX)
SKB_TRACEPOINT(1, netif_rx, tp_netif_rx, 0, HOOK_RX)
SKB_TRACEPOINT(2, napi_gro_receive_entry, tp_napi_gro_receive_entry, 0, HOOK_RX_ENTRY)
SKB_TRACEPOINT(3, napi_gro_frags_entry, tp_napi_gro_frags_entry, 0, HOOK_RX_ENTRY)
SKB_TRACEPOINT(4, netif_receive_skb_entry, tp_netif_receive_skb_entry, 0, HOOK_RX_ENTRY)
SKB_TRACEPOINT(5, netif_receive_skb_list_entry, tp_netif_receive_skb_list_entry, 0, HOOK_RX_ENTRY)
SKB_TRACEPOINT(6, netif_rx_entry, tp_netif_rx_entry, 0, HOOK_RX_ENTRY)
SKB_TRACEPOINT(7, net_dev_queue, tp_net_dev_queue, 0, HOOK_TX)
SKB_TRACEPOINT(8, net_dev_start_xmit, tp_net_dev_start_xmit, 0, HOOK_TX)

/* net_dev_xmit(skb, rc, dev, skb_len): the skb may be gone, use only its address. */
SEC("tp_btf/net_dev_xmit")
int tp_net_dev_xmit(u64 *ctx)
{
	return handle_hit(ctx, (struct sk_buff *)ctx[0], (struct net_device *)ctx[2], (u32)ctx[3],
			  HIT(9, HOOK_XMIT_DONE));
}

#include "../include/free_tracepoints.h"

SKB_TRACEPOINT(14, skb_copy_datagram_iovec, tp_skb_copy_datagram_iovec, 0, HOOK_ANY)
SOCK_TRACEPOINT(15, tcp_retransmit_skb, tp_tcp_retransmit_skb, 0, 1, HOOK_ANY)
SOCK_TRACEPOINT(16, tcp_send_reset, tp_tcp_send_reset, 0, 1, HOOK_ANY)
SOCK_TRACEPOINT(17, tcp_probe, tp_tcp_probe, 0, 1, HOOK_ANY)
SKB_TRACEPOINT(18, tcp_bad_csum, tp_tcp_bad_csum, 0, HOOK_ANY)
SKB_TRACEPOINT(19, qdisc_enqueue, tp_qdisc_enqueue, 2, HOOK_TX)
SKB_TRACEPOINT(20, qdisc_dequeue, tp_qdisc_dequeue, 3, HOOK_TX)
SKB_TRACEPOINT(21, udp_fail_queue_rcv_skb, tp_udp_fail_queue_rcv_skb, 2, HOOK_ANY)
SKB_TRACEPOINT(22, sock_rcvqueue_full, tp_sock_rcvqueue_full, 1, HOOK_ANY)
