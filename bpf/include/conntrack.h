/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conntrack's tuples of a NATed packet, so that the far side of a NAT can be joined through the
 * original tuple. skb->_nfct holds the conntrack entry's address with the packet's ctinfo in its low
 * three bits; the entry's tuplehash[0] is the original direction, tuplehash[1] the reply direction.
 * Without NAT the reply tuple is the original one reversed, and nothing is reported.
 *
 * Read with CO-RE and guarded: on a kernel without conntrack (no _nfct in sk_buff, no struct nf_conn
 * in its BTF) the guard is a constant false and the reads are never verified.
 */
#ifndef SKBTRAIL_CONNTRACK_H
#define SKBTRAIL_CONNTRACK_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "event.h"

#define NFCT_PTRMASK (~7UL)
#define IP_CT_IS_REPLY 3
#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58

/* Non-zero unless the two 16-byte addresses are equal (no branches: fewer paths for the verifier). */
static __always_inline u64 diff16(const u8 *a, const u8 *b)
{
	return (((const u64 *)a)[0] ^ ((const u64 *)b)[0]) | (((const u64 *)a)[1] ^ ((const u64 *)b)[1]);
}

/*
 * Fills *out and returns 1 when the skb at `skb` has a conntrack entry whose NAT changed the packet.
 * A global function: the verifier checks it once per program, and its branches do not multiply the
 * paths through the caller.
 */
__noinline int read_nat(u64 skb, struct event_ct *out)
{
	struct sk_buff *s = (struct sk_buff *)skb;
	struct nf_conntrack_tuple *orig, *reply;
	unsigned long nfct = 0;
	u64 ports;

	if (!out || !bpf_core_field_exists(struct sk_buff, _nfct) || !bpf_core_type_exists(struct nf_conn))
		return 0;
	if (bpf_core_read(&nfct, sizeof(nfct), &s->_nfct) || !(nfct & NFCT_PTRMASK))
		return 0;
	orig = &((struct nf_conn *)(nfct & NFCT_PTRMASK))->tuplehash[0].tuple;
	reply = &((struct nf_conn *)(nfct & NFCT_PTRMASK))->tuplehash[1].tuple;
	BPF_CORE_READ_INTO(&out->orig_saddr, orig, src.u3);
	BPF_CORE_READ_INTO(&out->orig_daddr, orig, dst.u3);
	BPF_CORE_READ_INTO(&out->reply_saddr, reply, src.u3);
	BPF_CORE_READ_INTO(&out->reply_daddr, reply, dst.u3);
	BPF_CORE_READ_INTO(&out->orig_sport, orig, src.u.all);
	BPF_CORE_READ_INTO(&out->orig_dport, orig, dst.u.all);
	BPF_CORE_READ_INTO(&out->reply_sport, reply, src.u.all);
	BPF_CORE_READ_INTO(&out->reply_dport, reply, dst.u.all);
	BPF_CORE_READ_INTO(&out->l3num, orig, src.l3num);
	BPF_CORE_READ_INTO(&out->protonum, orig, dst.protonum);
	out->dir = (nfct & 7) >= IP_CT_IS_REPLY;
	out->reserved = 0;
	/* Without NAT, reply is orig reversed. ICMP keys on the echo id, kept in src in both directions;
	 * other protocols swap their ports. */
	if (out->protonum == IPPROTO_ICMP || out->protonum == IPPROTO_ICMPV6)
		ports = out->orig_sport ^ out->reply_sport;
	else
		ports = (out->orig_sport ^ out->reply_dport) | (out->orig_dport ^ out->reply_sport);
	return (ports | diff16(out->orig_saddr, out->reply_daddr) | diff16(out->orig_daddr, out->reply_saddr)) != 0;
}

#endif
