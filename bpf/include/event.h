/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record each probe hit writes into the ring buffer.
 * Decoded by node-agent io/skbtrail/agent/event/RawEventLayout.java: keep both in sync.
 */
#ifndef SKBTRAIL_EVENT_H
#define SKBTRAIL_EVENT_H

#include "kernel_types.h"

#define EVENT_PKT_MAX 256   /* packet bytes copied per event (and cached for the filter) */
#define EVENT_STACK_MAX 32  /* kernel stack frames with --output-stack */
#define EVENT_DUMP_MAX 2048 /* bytes of bpf_snprintf_btf() text with --output-skb */

/* event.flags */
#define EVENT_F_L2 (1 << 0)         /* packet bytes start at the Ethernet header (else the IP header) */
#define EVENT_F_TRACKED (1 << 1)    /* reported because the skb is tracked, not because it matched */
#define EVENT_F_NO_HEADERS (1 << 2) /* the skb had no packet headers yet (e.g. tcp write queue) */
#define EVENT_F_NO_SKB_READ (1 << 3) /* the skb could not be read safely here (net_dev_xmit) */
#define EVENT_F_SYNTHESIZED (1 << 4) /* no headers yet: IP and TCP headers rebuilt from the socket */
#define EVENT_F_CT (1 << 5)          /* ct holds conntrack's tuples: NAT changed this packet */

/* Conntrack's view of a NATed packet (see conntrack.h): its original and reply tuples, as struct
 * nf_conntrack_tuple keeps them (ports in network order; for ICMP the echo id in sport). Addresses first,
 * so that each is 8-byte aligned. */
struct event_ct {
	u8 orig_saddr[16];
	u8 orig_daddr[16];
	u8 reply_saddr[16];
	u8 reply_daddr[16];
	u16 orig_sport;
	u16 orig_dport;
	u16 reply_sport;
	u16 reply_dport;
	u16 l3num;    /* AF_INET or AF_INET6 */
	u8 protonum;  /* IPPROTO_* */
	u8 dir;       /* 0: the packet travels in the original direction, 1: reply */
	u32 reserved;
};

struct event {
	u64 ktime_ns;
	u64 skb;
	u64 packet_id;
	u64 location;    /* free location (kfree_skb/consume_skb) or caller, 0 if unknown */
	u64 func_ip;     /* probed function address (kprobe backends), 0 for tracepoints */
	u32 probe_id;    /* tracepoints: index in the agent's tracepoint table */
	u32 pid;         /* tgid of the task on the CPU */
	u32 cpu;
	u32 netns;       /* netns inode */
	u32 mark;
	u32 ifindex;
	u32 len;         /* skb->len */
	u32 mtu;
	u32 drop_reason; /* enum skb_drop_reason value, 0 if none */
	u16 proto;       /* skb->protocol, host order */
	u8 flags;        /* EVENT_F_* */
	u8 hook;         /* HOOK_* of the probe point */
	u16 cap_len;     /* valid bytes in pkt[] */
	u16 stack_len;   /* valid bytes in stack[] */
	u16 dump_len;    /* valid bytes in dump[] */
	u16 reserved;
	char comm[16];
	char ifname[16];
	u8 pkt[EVENT_PKT_MAX];
	struct event_ct ct; /* valid with EVENT_F_CT; sent only then, after the whole of pkt[] */
	u64 stack[EVENT_STACK_MAX];
	char dump[EVENT_DUMP_MAX];
};

/* Bytes of the record before pkt[]; ct, stack[] and dump[] follow only when there is something in them. */
#define EVENT_HEADER_SIZE ((unsigned long)&((struct event *)0)->pkt)
/* Bytes of the record up to and including ct. */
#define EVENT_CT_END ((unsigned long)&((struct event *)0)->stack)

#endif
