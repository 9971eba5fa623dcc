/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following clones and copies of a tracked skb (--filter-track-skb): fexit on skb_clone and skb_copy
 * (BPF trampolines, Linux 5.5+ on x86). A clone or copy gets its parent's packet id, so the packet is
 * followed when a tap, a mirror or TCP's transmit path sends a copy on. Only addresses are used here.
 */
#ifndef SKBTRAIL_CLONE_H
#define SKBTRAIL_CLONE_H

#include "handler.h"

static __always_inline void follow_copy(u64 parent, u64 child)
{
	u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&config, &zero);
	struct skb_state *st, copy;

	if (!cfg || !(cfg->flags & CFG_ENABLED) || !(cfg->flags & CFG_TRACK_SKB) || !child)
		return;
	st = bpf_map_lookup_elem(&skb_state, &parent);
	if (!st || !st->tracked)
		return;
	copy = *st;
	copy.last_ns = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&skb_state, &child, &copy, BPF_ANY) == 0)
		count(COUNTER_TRACK_INSERT);
}

/* skb_clone(skb, gfp) -> clone; skb_copy(skb, gfp) -> copy: fexit sees the arguments, then the result. */
SEC("fexit/skb_clone")
int fexit_skb_clone(u64 *ctx)
{
	follow_copy(ctx[0], ctx[2]);
	return 0;
}

SEC("fexit/skb_copy")
int fexit_skb_copy(u64 *ctx)
{
	follow_copy(ctx[0], ctx[2]);
	return 0;
}

#endif
