/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN packets carry their inner packet 50 bytes in (outer Ethernet, IPv4, UDP, VXLAN), so the bytes
 * copied for every event (FILTER_CACHE) end inside the inner TCP header: for a VXLAN packet more are
 * copied, so that the agent finds the inner packet's headers and first payload bytes, as it does after
 * decapsulation (README, "VXLAN"). The agent parses the packet; here only its UDP port is checked.
 */
#ifndef SKBTRAIL_VXLAN_H
#define SKBTRAIL_VXLAN_H

#include "kernel_types.h"
#include "event.h"
#include "skb.h"

#define VXLAN_PORT 4789       /* IANA */
#define VXLAN_PORT_LINUX 8472 /* Linux's default when `ip link add … type vxlan` gets no dstport */
#define VXLAN_CAPTURE EVENT_PKT_MAX
#define IPPROTO_UDP 17

/*
 * 1 when the `cached` bytes of ev->pkt (Ethernet first with EVENT_F_L2 in flags, else IP) are UDP to a
 * VXLAN port. Only the usual shapes, at fixed offsets (few branches for the verifier): IPv4 without
 * options, IPv6 without extension headers, untagged Ethernet. A stray match only copies more bytes.
 * A global function, checked once per program.
 */
__noinline int is_vxlan(struct event *ev, u32 cached, u32 flags)
{
	u32 l3 = (flags & EVENT_F_L2) ? ETH_HLEN : 0;
	const u8 *ip;
	u16 dport;

	if (!ev || cached < l3 + 44)
		return 0;
	ip = ev->pkt + l3;
	if (ip[0] == 0x45 && ip[9] == IPPROTO_UDP)
		dport = ip[22] << 8 | ip[23];
	else if ((ip[0] >> 4) == 6 && ip[6] == IPPROTO_UDP)
		dport = ip[42] << 8 | ip[43];
	else
		return 0;
	return dport == VXLAN_PORT || dport == VXLAN_PORT_LINUX;
}

#endif
