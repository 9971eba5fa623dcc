/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The free tracepoints, in every backend's object: they end an skb's life in the packet id table
 * and name the free location and drop reason. Two signatures each, one program per signature; the
 * agent loads the one the running kernel has (probe ids 10 to 13 of io/skbtrail/agent/probe/
 * tracepoint/TracepointCatalog.java).
 */
#ifndef SKBTRAIL_FREE_TRACEPOINTS_H
#define SKBTRAIL_FREE_TRACEPOINTS_H

#include "handler.h"

/* kfree_skb(skb, location, reason[, rx_sk]) since 5.17; the reason is an enum skb_drop_reason. */
SEC("tp_btf/kfree_skb")
int tp_kfree_skb(u64 *ctx)
{
	struct hit h = { .probe_id = 10, .hook = HOOK_FREE, .location = ctx[1],
			 .drop_reason = (u32)ctx[2] };

	return handle_skb(ctx, (struct sk_buff *)ctx[0], h);
}

/* kfree_skb(skb, location) before 5.17. */
SEC("tp_btf/kfree_skb")
int tp_kfree_skb_noreason(u64 *ctx)
{
	struct hit h = { .probe_id = 11, .hook = HOOK_FREE, .location = ctx[1] };

	return handle_skb(ctx, (struct sk_buff *)ctx[0], h);
}

/* consume_skb(skb, location) since 6.3. */
SEC("tp_btf/consume_skb")
int tp_consume_skb(u64 *ctx)
{
	struct hit h = { .probe_id = 12, .hook = HOOK_FREE, .location = ctx[1] };

	return handle_skb(ctx, (struct sk_buff *)ctx[0], h);
}

/* consume_skb(skb) before 6.3. */
SEC("tp_btf/consume_skb")
int tp_consume_skb_noloc(u64 *ctx)
{
	struct hit h = { .probe_id = 13, .hook = HOOK_FREE };

	return handle_skb(ctx, (struct sk_buff *)ctx[0], h);
}

#endif
