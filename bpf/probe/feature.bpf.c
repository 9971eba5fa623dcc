// SPDX-License-Identifier: GPL-2.0
/*
 * Empty programs, one per attach type, loaded and attached one at a time by
 * node-agent io/skbtrail/agent/feature/BackendProbe.java to learn what this kernel allows.
 */
#include "../include/kernel_types.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe")
int probe_kprobe(void *ctx)
{
	return 0;
}

SEC("kprobe.multi")
int probe_kprobe_multi(void *ctx)
{
	return 0;
}

SEC("fentry/consume_skb")
int probe_fentry(void *ctx)
{
	return 0;
}

SEC("tp_btf/consume_skb")
int probe_tp_btf(void *ctx)
{
	return 0;
}
