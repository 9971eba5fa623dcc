/* SPDX-License-Identifier: GPL-2.0 */
/* Maps shared by every probe backend. Sizes the agent may change before load are marked. */
#ifndef SKBTRAIL_MAPS_H
#define SKBTRAIL_MAPS_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include "config.h"
#include "event.h"

/* Kernel → agent transport. The agent sets the size (--ringbuf-size) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_MAX);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

/* Per-CPU event under construction; `busy` guards against a probe firing inside another one. */
struct scratch {
	struct event ev;
	u32 busy;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/*
 * One entry per skb that matched recently: its packet id (one id per skb lifetime) and whether it is
 * tracked (--filter-track-skb). Entries are removed when a free tracepoint sees the skb; frees that no
 * tracepoint sees are covered by the LRU and by track_max_age_ns. The agent sets the size.
 */
struct skb_state {
	u64 packet_id;
	u64 head;
	u64 last_ns;
	u32 tracked;
	u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, u64);
	__type(value, struct skb_state);
} skb_state SEC(".maps");

/* Source of packet ids: a global counter. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} packet_ids SEC(".maps");

/* Token bucket of the event-rate cap, per CPU; tokens are scaled by 1e9. */
struct rate_state {
	u64 tokens;
	u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct rate_state);
} rate_state SEC(".maps");

static __always_inline void count(u32 index)
{
	u64 *value = bpf_map_lookup_elem(&counters, &index);

	if (value)
		*value += 1;
}

#endif
