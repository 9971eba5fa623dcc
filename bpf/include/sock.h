/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Headers for skbs that have none yet. TCP's write-queue skbs (tcp_retransmit_skb, tcp_sendmsg)
 * carry only payload: the IP and TCP headers are built when a copy is sent. To filter and report them
 * like any packet, an IPv4 or IPv6 header and a TCP header are rebuilt from the socket and the
 * queue's control block (sequence number, flags), as the packet would leave this host.
 */
#ifndef SKBTRAIL_SOCK_H
#define SKBTRAIL_SOCK_H

#include "kernel_types.h"
#include <bpf/bpf_endian.h>
#include "skb.h"

static __always_inline void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static __always_inline void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Writes IP + TCP headers for a TCP socket's skb into pkt; returns their length, 0 if not TCP/IP. */
static __always_inline u32 synthesize_tcp(u8 *pkt, struct sock *sk, struct sk_buff *skb)
{
	struct tcp_skb_cb *cb = (struct tcp_skb_cb *)&skb->cb;
	u16 family = SKB_GET(sk, __sk_common.skc_family);
	u32 len = SKB_GET(skb, len);
	u8 *tcp;
	u32 l3;

	if (family == AF_INET6) {
		u8 *d = pkt + 24;

		copy16((char *)pkt + 8, (const char *)&sk->__sk_common.skc_v6_rcv_saddr);
		copy16((char *)d, (const char *)&sk->__sk_common.skc_v6_daddr);
		/* A v4-mapped peer (::ffff:a.b.c.d) leaves as IPv4. */
		if (((u64 *)d)[0] == 0 && ((u32 *)d)[2] == bpf_htonl(0xffff))
			family = AF_INET;
	}
	if (family == AF_INET) {
		u32 saddr = SKB_GET(sk, __sk_common.skc_rcv_saddr);
		u32 daddr = SKB_GET(sk, __sk_common.skc_daddr);

		l3 = 20;
		pkt[0] = 0x45;
		pkt[1] = 0;
		put_be16(pkt + 2, 40 + len);
		put_be32(pkt + 4, 0x4000); /* id 0, DF */
		pkt[8] = 64;
		pkt[9] = 6; /* IPPROTO_TCP */
		pkt[10] = pkt[11] = 0;
		*(u32 *)(pkt + 12) = saddr;
		*(u32 *)(pkt + 16) = daddr;
	} else if (family == AF_INET6) {
		l3 = 40;
		put_be32(pkt, 0x60000000);
		put_be16(pkt + 4, 20 + len);
		pkt[6] = 6;
		pkt[7] = 64;
	} else {
		return 0;
	}
	tcp = pkt + l3;
	put_be16(tcp, SKB_GET(sk, __sk_common.skc_num));
	*(u16 *)(tcp + 2) = SKB_GET(sk, __sk_common.skc_dport);
	put_be32(tcp + 4, SKB_GET(cb, seq));
	put_be32(tcp + 8, 0);
	tcp[12] = 0x50;
	tcp[13] = SKB_GET(cb, tcp_flags);
	put_be32(tcp + 14, 0);
	put_be16(tcp + 18, 0);
	return l3 + 20;
}

#endif
