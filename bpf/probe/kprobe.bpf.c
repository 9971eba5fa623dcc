// SPDX-License-Identifier: GPL-2.0
/*
 * The kprobe and kprobe.multi backends: one program per position of the skb among a function's
 * first five arguments. The agent attaches `kprobe_skb_N` to every function whose argument N is a
 * struct sk_buff * (one kprobe each), or `kprobe_multi_skb_N` to all of them at once (one
 * kprobe.multi link per position, Linux 5.18+ with CONFIG_FPROBE). Function arguments are plain
 * numbers here, so the skb is read with bpf_probe_read_kernel (SKB_PROBE_READ).
 *
 * The free tracepoints are attached too (free_tracepoints.h): they end an skb's life in the packet id
 * table and carry the drop reason on kernels where the drop functions are inlined.
 */
#define SKB_PROBE_READ 1
#include "../include/handler.h"
#include "../include/clone.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Where the kprobe fired: bpf_get_func_ip (5.15+, correct with IBT), else the int3's address. */
static __always_inline u64 probed_function(struct pt_regs *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ip))
		return bpf_get_func_ip(ctx);
	return PT_REGS_IP(ctx) - 1;
}

/* The drop reason of the drop functions, whose addresses the agent writes into the config. */
static __always_inline u32 drop_reason(const struct config *cfg, u64 ip, struct pt_regs *ctx)
{
	/* Both read up front: the verifier wants each context load at a fixed offset, and the
	 * compiler would otherwise pick the register by pointer arithmetic. */
	u64 second = PT_REGS_PARM2(ctx);
	u64 third = PT_REGS_PARM3(ctx);

	barrier_var(second);
	barrier_var(third);
	if (ip && ip == cfg->kfree_skb_reason_ip)
		return second;
	if (ip && ip == cfg->sk_skb_reason_drop_ip)
		return third;
	return 0;
}

static __always_inline int handle_function(struct pt_regs *ctx, struct sk_buff *skb)
{
	u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&config, &zero);
	struct hit h = { .hook = HOOK_FUNC };
	u64 caller = 0;

	if (!cfg || !(cfg->flags & CFG_ENABLED))
		return 0;
	h.func_ip = probed_function(ctx);
	h.drop_reason = drop_reason(cfg, h.func_ip, ctx);
	/* At a function's entry the return address is on top of the stack: the caller. */
	bpf_probe_read_kernel(&caller, sizeof(caller), (void *)PT_REGS_SP(ctx));
	h.location = caller;
	return handle_skb(ctx, skb, h);
}

#define KPROBE_AT(n)                                                                     \
	SEC("kprobe/skb-" #n)                                                            \
	int kprobe_skb_##n(struct pt_regs *ctx)                                          \
	{                                                                                \
		return handle_function(ctx, (struct sk_buff *)PT_REGS_PARM##n(ctx));     \
	}                                                                                \
	SEC("kprobe.multi/skb-" #n)                                                      \
	int kprobe_multi_skb_##n(struct pt_regs *ctx)                                    \
	{                                                                                \
		return handle_function(ctx, (struct sk_buff *)PT_REGS_PARM##n(ctx));     \
	}

KPROBE_AT(1)
KPROBE_AT(2)
KPROBE_AT(3)
KPROBE_AT(4)
KPROBE_AT(5)

#include "../include/free_tracepoints.h"
