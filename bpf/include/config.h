/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Settings that change without reloading the programs live in the `config` map, written by
 * node-agent io/skbtrail/agent/probe/ProbeConfig.java: keep both in sync.
 */
#ifndef SKBTRAIL_CONFIG_H
#define SKBTRAIL_CONFIG_H

#include "kernel_types.h"

#define CFG_PCAP (1 << 0)         /* the pcap filter stubs hold a real filter */
#define CFG_TRACK_SKB (1 << 1)    /* --filter-track-skb */
#define CFG_OUTPUT_STACK (1 << 2) /* --output-stack */
#define CFG_OUTPUT_SKB (1 << 3)   /* --output-skb */
#define CFG_PCAP_L3_NONE (1 << 4) /* the expression needs an Ethernet header (arp, ether host) */
#define CFG_ENABLED (1 << 5)      /* tracing is on; off while the agent arms or tears down */

struct config {
	u32 flags;
	u32 netns;      /* 0 = any */
	u32 mark;
	u32 mark_mask;  /* 0 = any mark */
	u32 ifindex;    /* 0 = any */
	u32 packet_bytes; /* packet bytes to report per event, at most EVENT_PKT_MAX */
	u64 track_max_age_ns; /* a tracked skb not seen for this long is forgotten */
	u64 rate_per_cpu;     /* event-rate cap per CPU, events/s; 0 = no cap */
	u64 rate_burst;       /* events a CPU may emit at once above the steady rate */
	u64 wakeup_bytes;     /* wake the agent when this much data waits in the ring */
	u64 kfree_skb_reason_ip;     /* kprobe backends: functions whose arguments carry the drop */
	u64 sk_skb_reason_drop_ip;   /* reason (2nd and 3rd argument), 0 if not in this kernel */
};

/* Indexes into the per-CPU `counters` map, read by io/skbtrail/agent/probe/KernelCounters.java. */
enum counter {
	COUNTER_MATCHED = 0,      /* events that passed the filters */
	COUNTER_RINGBUF_FULL,     /* matched, but the ring buffer had no room */
	COUNTER_RATE_LIMITED,     /* matched, but over the event-rate cap */
	COUNTER_NESTED,           /* a probe fired inside another on the same CPU and was skipped */
	COUNTER_TRACK_INSERT,     /* skbs added to skb_state */
	COUNTER_TRACK_DELETE,     /* skbs removed from skb_state when freed */
	COUNTER_TRACK_EXPIRED,    /* entries found older than track_max_age_ns */
	COUNTER_MAX,
};

#endif
