// SPDX-License-Identifier: GPL-2.0
/* Test fixtures: an XDP and a tc program that let every packet pass, for tests that trace BPF programs. */
#include "../include/kernel_types.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return 2; /* XDP_PASS */
}

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
	return 0; /* TC_ACT_OK */
}
