/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types the probes read, declared for CO-RE: libbpf relocates every field access
 * against the running kernel's BTF at load time, so only the names and types used here must exist
 * there, not the layout. Anonymous unions and struct_group()s in the real kernel types are matched
 * by member name. This replaces a full vmlinux.h so the build does not depend on the build host's
 * kernel.
 */
#ifndef SKBTRAIL_KERNEL_TYPES_H
#define SKBTRAIL_KERNEL_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef _Bool bool;
#define true 1
#define false 0

#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	char name[16];
	int ifindex;
	unsigned int mtu;
	unsigned short type;
	unsigned short hard_header_len;
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct in6_addr {
	u8 s6_addr[16];
};

struct sock_common {
	possible_net_t skc_net;
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

/* skb->cb of TCP's queues. tcp_flags is a u16 since 6.x and a u8 before: its low byte (little
 * endian) holds FIN … CWR either way, which is all we read. */
struct tcp_skb_cb {
	__u32 seq;
	__u8 tcp_flags;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct task_struct {
	char comm[16];
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	unsigned int len;
	__u32 mark;
	__be16 protocol;
	__u16 transport_header;
	__u16 network_header;
	__u16 mac_header;
	unsigned int tail; /* an offset from head on 64-bit kernels (NET_SKBUFF_DATA_USES_OFFSET) */
	unsigned int end;
	unsigned char *head;
	unsigned char *data;
	char cb[48];
	unsigned long _nfct; /* conntrack entry | ctinfo (low 3 bits); only with CONFIG_NF_CONNTRACK */
} __attribute__((preserve_access_index));

/* Conntrack (include/net/netfilter/nf_conntrack_tuple.h), only what conntrack.h reads. Every record here,
 * the anonymous ones included, is relocated by member name. */
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
union nf_inet_addr {
	__u32 all[4];
};

union nf_conntrack_man_proto {
	__be16 all;
};

struct nf_conntrack_man {
	union nf_inet_addr u3;
	union nf_conntrack_man_proto u;
	u16 l3num;
};

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
		} u;
		u8 protonum;
	} dst;
};

struct nf_conntrack_tuple_hash {
	struct nf_conntrack_tuple tuple;
};

struct nf_conn {
	struct nf_conntrack_tuple_hash tuplehash[2];
};
#pragma clang attribute pop

struct xdp_rxq_info {
	struct net_device *dev;
} __attribute__((preserve_access_index));

/* What an XDP program's struct xdp_md is at run time. */
struct xdp_buff {
	void *data;
	void *data_end;
	struct xdp_rxq_info *rxq;
} __attribute__((preserve_access_index));

struct xdp_md;
struct __sk_buff;

/* x86-64 registers at a kprobe, as the uapi names them (what bpf_tracing.h's PT_REGS_* use). */
struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
};

#define AF_INET 2
#define AF_INET6 10

#endif
