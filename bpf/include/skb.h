/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading an skb. Tracepoint (tp_btf) and fentry programs receive BTF-typed pointers the verifier
 * lets us dereference directly (a faulting load reads 0); kprobe programs receive plain numbers and
 * must copy through bpf_probe_read_kernel. A backend defines SKB_PROBE_READ before including this
 * file to get the second kind.
 */
#ifndef SKBTRAIL_SKB_H
#define SKBTRAIL_SKB_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#ifdef SKB_PROBE_READ
#define SKB_GET(...) BPF_CORE_READ(__VA_ARGS__)
#else
/* SKB_GET(s, a, b) is s->a->b, relocated by CO-RE through preserve_access_index. */
#define SKB_GET(...) ___arrow(__VA_ARGS__)
#endif

/* Copies 16 bytes (a comm or ifname, NUL-padded; an IPv6 address) with two loads instead of a helper. */
static __always_inline void copy16(char *dst, const char *src)
{
#ifdef SKB_PROBE_READ
	bpf_probe_read_kernel(dst, 16, src);
#else
	((u64 *)dst)[0] = ((const u64 *)src)[0];
	((u64 *)dst)[1] = ((const u64 *)src)[1];
#endif
}

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define MAC_HEADER_UNSET 0xffff

/* Where the hook sits, which decides where the packet starts (see locate_packet). */
enum hook {
	HOOK_RX = 0,    /* receive path: mac header set, data at the network header */
	HOOK_RX_ENTRY,  /* receive entry point: the skb may be a new one (a new packet id) */
	HOOK_TX,        /* transmit path: data at the start of the frame */
	HOOK_ANY,       /* anywhere: start from the headers the skb has built */
	HOOK_FREE,      /* kfree_skb / consume_skb: like HOOK_ANY, and the skb's life ends */
	HOOK_XMIT_DONE, /* net_dev_xmit: the skb may be freed already, only its address is used */
	HOOK_FUNC,      /* a kernel function (kprobe backends): like HOOK_ANY */
	HOOK_XDP,       /* an XDP program's frame (no skb yet) */
};

/* Where the packet's bytes are and how many can be read. */
struct pkt_view {
	u64 head;
	u64 start;
	u32 linear;  /* bytes readable from start (the linear data) */
	u32 wire;    /* length of the whole packet from start, for pcap's `len` */
	bool l2;     /* start is an Ethernet header, else an IP header */
	bool no_headers;
	bool synthesized; /* headers rebuilt from the socket (see sock.h) */
};

static __always_inline bool dev_is_ethernet(u16 type)
{
	return type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK;
}

/*
 * The packet's start depends on the hook, not on mac_len:
 *  - receive: drivers pull the Ethernet header (data = network header) but do not set the network
 *    header offset yet, and real NIC drivers leave it unset; the mac header is set by eth_type_trans.
 *  - transmit: data is the start of the frame once the neighbour layer built it.
 *  - elsewhere: use the network header if one was built, and the mac header right before it.
 *    An skb with neither (a tcp write-queue skb) has no headers yet.
 */
static __always_inline void locate_packet(struct sk_buff *skb, u8 hook, u16 dev_type,
					  u16 hard_header_len, struct pkt_view *v)
{
	/* Buffer addresses are read as numbers: the verifier forbids arithmetic on BTF pointers. head
	 * and data sit side by side in every kernel: one copy reads both (checked after relocation). */
	u64 head, data;

	if (bpf_core_field_offset(struct sk_buff, data) == bpf_core_field_offset(struct sk_buff, head) + 8) {
		u64 both[2];

		bpf_probe_read_kernel(both, sizeof(both), &skb->head);
		head = both[0];
		data = both[1];
	} else {
		head = (u64)BPF_CORE_READ(skb, head);
		data = (u64)BPF_CORE_READ(skb, data);
	}
	u32 tail = SKB_GET(skb, tail);
	u32 len = SKB_GET(skb, len);
	u16 mac = SKB_GET(skb, mac_header);
	u16 network = SKB_GET(skb, network_header);
	bool ether = dev_is_ethernet(dev_type);
	u64 start = data;
	u64 end = head + tail;

	v->l2 = false;
	v->no_headers = false;
	v->synthesized = false;
	if (hook == HOOK_RX || hook == HOOK_RX_ENTRY) {
		if (mac != MAC_HEADER_UNSET && ether && head + mac <= data) {
			start = head + mac;
			v->l2 = true;
		}
	} else if (hook == HOOK_TX) {
		v->l2 = ether && hard_header_len > 0;
	} else {
		if (mac != MAC_HEADER_UNSET && ether &&
		    ((network >= mac + ETH_HLEN && network <= mac + ETH_HLEN + 2 * VLAN_HLEN) ||
		     (!network && head + mac < data))) {
			/* A frame with its Ethernet header before the network header; or, early on
			 * receive, before the network header offset is set, the header the driver pulled. */
			start = head + mac;
			v->l2 = true;
		} else if (network && ether && data + ETH_HLEN == head + network) {
			/* On transmit, before __dev_queue_xmit resets the mac header: the neighbour
			 * layer pushed the Ethernet header right before the network header. */
			v->l2 = true;
		} else if (network) {
			start = head + network;
		} else {
			v->no_headers = true;
		}
	}
	v->head = head;
	v->start = start;
	v->linear = start < end && end - start < 0xffff ? end - start : 0;
	v->wire = (u32)((s64)len + (s64)data - (s64)start);
}

#endif
