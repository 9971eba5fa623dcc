// SPDX-License-Identifier: GPL-2.0
/*
 * Tracing the tc and XDP BPF programs loaded on this host (--filter-trace-tc, --filter-trace-xdp):
 * fentry on each program. The agent loads this object once per target program, pointing the program
 * at it (bpf_program__set_attach_target) and sharing the main object's maps, so events flow into the
 * same ring buffer. Needs BPF trampolines (Linux 5.5+) and targets with BTF.
 *
 * The argument is the program's context as the kernel passes it: a struct __sk_buff is a struct sk_buff,
 * a struct xdp_md a struct xdp_buff (the verifier translates the types). Probe ids 100 and 101 are
 * named by node-agent io/skbtrail/agent/probe/bpfprog/BpfProgramTracer.java.
 */
#include "../include/handler.h"

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/tc")
int fentry_tc(u64 *ctx)
{
	/* tc runs with data at the Ethernet header, on ingress and egress alike. */
	struct hit h = { .probe_id = 100, .hook = HOOK_TX, .func_ip = bpf_get_func_ip(ctx) };

	return handle_skb(ctx, (struct sk_buff *)ctx[0], h);
}

SEC("fentry/xdp")
int fentry_xdp(u64 *ctx)
{
	struct hit h = { .probe_id = 101, .hook = HOOK_TX, .func_ip = bpf_get_func_ip(ctx) };

	return handle_xdp((struct xdp_buff *)ctx[0], h);
}
