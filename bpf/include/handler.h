/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every probe does with an skb, whatever attaches it: filter, give the skb its packet id, fill
 * the event and hand it to the agent, counting every event that cannot be delivered.
 */
#ifndef SKBTRAIL_HANDLER_H
#define SKBTRAIL_HANDLER_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "config.h"
#include "event.h"
#include "maps.h"
#include "filter.h"
#include "skb.h"
#include "sock.h"
#include "conntrack.h"
#include "vxlan.h"

/* Packet bytes copied before filtering, and reported with the event: Ethernet, IPv6 and TCP headers
 * fit. Copying 128 bytes costs no more than 64 here; the filter reads loads past them one by one. */
#define FILTER_CACHE 128

/* A probe hit, as the attach point describes it. */
struct hit {
	u64 location;
	struct sock *sk; /* the socket, on hooks that pass one */
	u64 func_ip;
	u32 probe_id;
	u32 drop_reason;
	u8 hook;
};

/* Token-bucket event-rate cap, per CPU (config.rate_per_cpu events/s, rate_burst at once). */
static __always_inline bool rate_allows(const struct config *cfg, u64 now)
{
	const u64 scale = 1000000000ULL;
	u32 zero = 0;
	struct rate_state *r;
	u64 elapsed, cap;

	if (!cfg->rate_per_cpu)
		return true;
	r = bpf_map_lookup_elem(&rate_state, &zero);
	if (!r)
		return true;
	elapsed = now - r->last_ns;
	if (elapsed > scale)
		elapsed = scale;
	r->last_ns = now;
	cap = cfg->rate_burst * scale;
	r->tokens += elapsed * cfg->rate_per_cpu;
	if (r->tokens > cap)
		r->tokens = cap;
	if (r->tokens < scale)
		return false;
	r->tokens -= scale;
	return true;
}

static __always_inline u64 next_packet_id(void)
{
	u32 zero = 0;
	u64 *counter = bpf_map_lookup_elem(&packet_ids, &zero);

	return counter ? __sync_fetch_and_add(counter, 1) + 1 : 0;
}

/*
 * The packet id of a matching skb: the same while the skb lives, a new one after a free tracepoint
 * saw it, after track_max_age_ns without a sighting, or when a receive entry point sees the address
 * with another data buffer (a new skb at a reused address whose free no tracepoint saw).
 */
static __always_inline u64 packet_id_of(u64 skb_addr, struct skb_state *st, bool st_existed,
					const struct pkt_view *v, u8 hook, u64 now)
{
	struct skb_state fresh = {};

	if (st && !(hook == HOOK_RX_ENTRY && st->head != v->head)) {
		st->last_ns = now;
		st->head = v->head;
		return st->packet_id;
	}
	fresh.packet_id = next_packet_id();
	fresh.head = v->head;
	fresh.last_ns = now;
	fresh.tracked = 1;
	if (bpf_map_update_elem(&skb_state, &skb_addr, &fresh, BPF_ANY) == 0 && !st_existed)
		count(COUNTER_TRACK_INSERT);
	return fresh.packet_id;
}

/* The skb's entry in skb_state, or NULL if none or too old (then *existed says whether one was there). */
static __always_inline struct skb_state *skb_state_of(const struct config *cfg, u64 skb_addr, u64 now,
						      bool *existed, bool count_expired)
{
	struct skb_state *st = bpf_map_lookup_elem(&skb_state, &skb_addr);

	*existed = st != NULL;
	if (st && now - st->last_ns > cfg->track_max_age_ns) {
		if (count_expired)
			count(COUNTER_TRACK_EXPIRED);
		return NULL;
	}
	return st;
}

/* Writes the record: `size` bytes of the event (at most sizeof(struct event)). A global function: see deliver. */
__noinline int ring_write(struct event *ev, u64 size, u64 flags)
{
	if (!ev)
		return 0;
	if (size <= EVENT_HEADER_SIZE + 128) {
		/* Typed as u64: the compiler copies 8 bytes at a time (records are 8-byte aligned). */
		u64 *rec = bpf_ringbuf_reserve(&events, EVENT_HEADER_SIZE + 128, 0);

		if (!rec)
			return -1;
		__builtin_memcpy(rec, (const u64 *)ev, EVENT_HEADER_SIZE + 128);
		bpf_ringbuf_submit(rec, flags);
		return 0;
	}
	if (size > sizeof(*ev))
		size = sizeof(*ev);
	return bpf_ringbuf_output(&events, ev, size, flags) ? -1 : 0;
}

/*
 * Rate cap, then the ring buffer; `matched` was counted by the caller. A global function, checked once
 * per program by the verifier however many paths lead here (see emit_skb_event).
 */
__noinline int deliver(struct config *cfg, struct event *ev, u64 now)
{
	u64 size, flags;

	if (!cfg || !ev)
		return 0;
	if (!rate_allows(cfg, now)) {
		count(COUNTER_RATE_LIMITED);
		return 0;
	}
	if (ev->stack_len || ev->dump_len)
		size = (u64)&((struct event *)0)->dump + ev->dump_len;
	else if (ev->flags & EVENT_F_CT)
		size = EVENT_CT_END;
	else
		size = EVENT_HEADER_SIZE + ev->cap_len;
	/* Waking the agent for every record costs more than writing it: wake it only when the ring
	 * fills up; it polls every few milliseconds otherwise. */
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP
										    : BPF_RB_NO_WAKEUP;
	if (ring_write(ev, size, flags))
		count(COUNTER_RINGBUF_FULL);
	return 0;
}

/* The task on this CPU: a BTF pointer (Linux 5.11+), read without a helper call. */
#define BPF_CORE_READ_TASK_COMM() (bpf_get_current_task_btf()->comm)

static __always_inline void fill_common(struct event *ev, u64 now, u64 skb_addr, u64 packet_id,
					const struct hit *h)
{
	ev->ktime_ns = now;
	ev->skb = skb_addr;
	ev->packet_id = packet_id;
	ev->location = h->location;
	ev->func_ip = h->func_ip;
	ev->probe_id = h->probe_id;
	ev->drop_reason = h->drop_reason;
	ev->hook = h->hook;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->cpu = bpf_get_smp_processor_id();
	copy16(ev->comm, BPF_CORE_READ_TASK_COMM());
}

/* --output-stack: needs the program's context, so the probe itself does it. */
static __always_inline void fill_stack(void *ctx, const struct config *cfg, struct event *ev)
{
	ev->stack_len = 0;
	if (cfg->flags & CFG_OUTPUT_STACK) {
		long n = bpf_get_stack(ctx, ev->stack, sizeof(ev->stack), 0);

		ev->stack_len = n > 0 ? n : 0;
	}
}

/* --output-skb: the skb as text, from its address. */
static __always_inline void fill_skb_dump(const struct config *cfg, struct event *ev, u64 skb)
{
	ev->dump_len = 0;
	if (cfg->flags & CFG_OUTPUT_SKB) {
		struct btf_ptr p = {
			.ptr = (void *)skb,
			.type_id = bpf_core_type_id_kernel(struct sk_buff),
		};
		long n = bpf_snprintf_btf(ev->dump, sizeof(ev->dump), &p, sizeof(p), 0);

		if (n > (long)sizeof(ev->dump) - 1)
			n = sizeof(ev->dump) - 1;
		ev->dump_len = n > 0 ? n : 0;
	}
}

/*
 * What the filters learned about a matching skb, for emit_skb_event: plain numbers only (a global
 * function takes no kernel pointers as arguments before Linux 6.8), and no padding (every byte is
 * written before the call: older verifiers refuse to pass uninitialised stack).
 */
struct matched_skb {
	u64 skb;        /* address */
	u64 head;       /* data buffer, tells a new skb at a reused address (packet_id_of) */
	u64 start;      /* first packet byte */
	u64 location;
	u64 func_ip;
	u64 now;        /* read before the filters when tracking, else 0 */
	u32 linear;     /* bytes readable from start */
	u32 cached;     /* packet bytes already in ev->pkt */
	u32 probe_id;
	u32 drop_reason;
	u32 hook;
	u32 flags;      /* EVENT_F_L2, EVENT_F_TRACKED, EVENT_F_NO_HEADERS, EVENT_F_SYNTHESIZED */
};

/*
 * Everything after the filters: packet id, the rest of the event, --output-skb, the ring buffer. The
 * caller has filled netns, mark, ifindex, len, mtu, proto, ifname and the stack already.
 *
 * A global (not static) function, so the verifier checks it once per program, on its own. Inlined, it
 * was checked again for every distinct state the filters left open (dev or no dev, tracked or not,
 * headers found or rebuilt...): two thirds of the verifier's time when a session arms 21 programs.
 * Its pointer arguments may be NULL for the verifier, hence the checks.
 */
__noinline int emit_skb_event(struct config *cfg, struct event *ev, struct matched_skb *m)
{
	struct skb_state *st;
	bool st_existed;
	struct pkt_view v = {};
	struct hit h = {};
	u64 now;
	u32 want, cached;

	if (!cfg || !ev || !m)
		return 0;
	now = m->now ? m->now : bpf_ktime_get_ns();
	/* With tracking, the probe looked the skb up before the filters and counted an expired entry
	 * then: look again (a pointer into a map cannot be passed here) without counting it twice. */
	st = skb_state_of(cfg, m->skb, now, &st_existed, !(cfg->flags & CFG_TRACK_SKB));
	v.head = m->head;
	h.location = m->location;
	h.func_ip = m->func_ip;
	h.probe_id = m->probe_id;
	h.drop_reason = m->drop_reason;
	h.hook = m->hook;
	fill_common(ev, now, m->skb, packet_id_of(m->skb, st, st_existed, &v, m->hook, now), &h);
	ev->flags = m->flags;
	if (read_nat(m->skb, &ev->ct))
		ev->flags |= EVENT_F_CT;

	/* The cached bytes hold the headers (for the tuple); --output-packet-bytes or VXLAN may want more. */
	cached = m->cached;
	want = cfg->packet_bytes;
	if (want < VXLAN_CAPTURE && !(m->flags & EVENT_F_NO_HEADERS) && is_vxlan(ev, cached, m->flags))
		want = VXLAN_CAPTURE;
	if (want > EVENT_PKT_MAX)
		want = EVENT_PKT_MAX;
	if (want > m->linear)
		want = m->linear;
	if (want > cached && m->start) {
		want &= EVENT_PKT_MAX * 2 - 1;
		if (want > EVENT_PKT_MAX)
			want = EVENT_PKT_MAX;
		if (bpf_probe_read_kernel(ev->pkt, want, (void *)m->start) == 0)
			cached = want;
	}
	ev->cap_len = (m->flags & EVENT_F_NO_HEADERS) ? 0 : cached;
	fill_skb_dump(cfg, ev, m->skb);
	deliver(cfg, ev, now);
	return 0;
}

static __always_inline void trace_skb(void *ctx, const struct config *cfg, struct event *ev,
				      struct sk_buff *skb, const struct hit *h)
{
	u64 now = 0;
	u64 skb_addr = (u64)skb;
	struct net_device *dev = SKB_GET(skb, dev);
	struct skb_state *st = NULL;
	bool st_existed = false, tracked = false;
	struct pkt_view v;
	struct matched_skb m;
	u32 netns = 0, mark, ifindex = 0, cached;
	u16 dev_type = 0, hard_header_len = 0;

	if (dev) {
		ifindex = SKB_GET(dev, ifindex);
		netns = SKB_GET(dev, nd_net.net, ns.inum);
		dev_type = SKB_GET(dev, type);
		hard_header_len = SKB_GET(dev, hard_header_len);
	}
	if (!netns) {
		/* Copied, not read through the skb's BTF pointer: for each pointer it reads through a
		 * tracepoint's argument, the verifier searches the whole kernel BTF by name several times
		 * (~1 ms), and this read sits on two paths. Only skbs without a device take it. */
		struct sock *sk = BPF_CORE_READ(skb, sk);

		if (sk)
			netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	}
	mark = SKB_GET(skb, mark);

	if (cfg->flags & CFG_TRACK_SKB) {
		now = bpf_ktime_get_ns();
		st = skb_state_of(cfg, skb_addr, now, &st_existed, true);
		tracked = st && st->tracked;
	}

	locate_packet(skb, h->hook, dev_type, hard_header_len, &v);
	if (v.no_headers && h->sk) {
		cached = synthesize_tcp(ev->pkt, h->sk, skb);
		v.no_headers = cached == 0;
		v.synthesized = cached != 0;
		v.start = 0;
		v.linear = v.wire = cached;
	} else {
		cached = v.linear < FILTER_CACHE ? v.linear : FILTER_CACHE;
		if (bpf_probe_read_kernel(ev->pkt, cached & (EVENT_PKT_MAX - 1), (void *)v.start))
			cached = 0;
	}

	if (!tracked) {
		if (!filter_meta(cfg, netns, mark, ifindex))
			goto out;
		if (cfg->flags & CFG_PCAP) {
			int match;

			if (v.no_headers)
				goto out;
			if (v.l2)
				match = filter_pcap_l2((struct pkt_cache *)ev->pkt, v.start, v.linear, v.wire, cached);
			else if (cfg->flags & CFG_PCAP_L3_NONE)
				match = 0;
			else
				match = filter_pcap_l3((struct pkt_cache *)ev->pkt, v.start, v.linear, v.wire, cached);
			if (!match)
				goto out;
		}
	}
	count(COUNTER_MATCHED);

	ev->netns = netns;
	ev->mark = mark;
	ev->ifindex = ifindex;
	ev->len = SKB_GET(skb, len);
	ev->proto = bpf_ntohs(SKB_GET(skb, protocol));
	ev->mtu = dev ? SKB_GET(dev, mtu) : 0;
	if (dev)
		copy16(ev->ifname, SKB_GET(dev, name));
	else
		ev->ifname[0] = 0;
	fill_stack(ctx, cfg, ev);
	m.skb = skb_addr;
	m.head = v.head;
	m.start = v.start;
	m.location = h->location;
	m.func_ip = h->func_ip;
	m.now = now;
	m.linear = v.linear;
	m.cached = cached;
	m.probe_id = h->probe_id;
	m.drop_reason = h->drop_reason;
	m.hook = h->hook;
	m.flags = (v.l2 ? EVENT_F_L2 : 0) | (tracked ? EVENT_F_TRACKED : 0) |
		  (v.no_headers ? EVENT_F_NO_HEADERS : 0) | (v.synthesized ? EVENT_F_SYNTHESIZED : 0);
	emit_skb_event((struct config *)cfg, ev, &m);
out:
	if (h->hook == HOOK_FREE && bpf_map_delete_elem(&skb_state, &skb_addr) == 0)
		count(COUNTER_TRACK_DELETE);
}

/*
 * net_dev_xmit fires after the driver took the skb, which may be freed already: report it only if
 * it matched before (its address is in skb_state), from the tracepoint's own arguments.
 */
static __always_inline void trace_xmit_done(const struct config *cfg, struct event *ev, u64 skb_addr,
					    struct net_device *dev, u32 len, const struct hit *h)
{
	u64 now = bpf_ktime_get_ns();
	struct skb_state *st = bpf_map_lookup_elem(&skb_state, &skb_addr);
	u32 netns = 0, ifindex = 0;

	if (!st || now - st->last_ns > cfg->track_max_age_ns)
		return;
	if (dev) {
		ifindex = SKB_GET(dev, ifindex);
		netns = SKB_GET(dev, nd_net.net, ns.inum);
	}
	if (!(cfg->flags & CFG_TRACK_SKB) && !filter_meta(cfg, netns, cfg->mark, ifindex))
		return;
	count(COUNTER_MATCHED);
	fill_common(ev, now, skb_addr, st->packet_id, h);
	ev->stack_len = 0;
	ev->dump_len = 0;
	st->last_ns = now;
	ev->netns = netns;
	ev->mark = 0;
	ev->ifindex = ifindex;
	ev->len = len;
	ev->mtu = dev ? SKB_GET(dev, mtu) : 0;
	ev->proto = 0;
	ev->flags = EVENT_F_NO_SKB_READ | (st->tracked && (cfg->flags & CFG_TRACK_SKB) ? EVENT_F_TRACKED : 0);
	ev->cap_len = 0;
	if (dev)
		bpf_probe_read_kernel_str(ev->ifname, sizeof(ev->ifname), SKB_GET(dev, name));
	else
		ev->ifname[0] = 0;
	deliver((struct config *)cfg, ev, now);
}

/*
 * An XDP program's packet (fentry on the program, --filter-trace-xdp): no skb yet, the frame is
 * xdp->data .. data_end and starts with the Ethernet header. Each run is a new packet id.
 */
static __always_inline void trace_xdp(const struct config *cfg, struct event *ev, struct xdp_buff *xdp,
				      const struct hit *h)
{
	u64 data = (u64)xdp->data;
	u64 end = (u64)xdp->data_end;
	struct net_device *dev = xdp->rxq->dev;
	u32 ifindex = 0, netns = 0, linear, cached, match;
	u64 now;

	if (dev) {
		ifindex = dev->ifindex;
		netns = dev->nd_net.net->ns.inum;
	}
	/* A frame has no mark yet: a mark filter excludes every XDP frame. */
	if (cfg->mark_mask || !filter_meta(cfg, netns, 0, ifindex))
		return;
	linear = end > data && end - data < 0xffff ? end - data : 0;
	cached = linear < FILTER_CACHE ? linear : FILTER_CACHE;
	if (bpf_probe_read_kernel(ev->pkt, cached & (EVENT_PKT_MAX - 1), (void *)data))
		cached = 0;
	if (cfg->flags & CFG_PCAP) {
		match = filter_pcap_l2((struct pkt_cache *)ev->pkt, data, linear, linear, cached);
		if (!match)
			return;
	}
	count(COUNTER_MATCHED);
	now = bpf_ktime_get_ns();
	fill_common(ev, now, 0, next_packet_id(), h);
	ev->stack_len = 0;
	ev->dump_len = 0;
	ev->netns = netns;
	ev->mark = 0;
	ev->ifindex = ifindex;
	ev->len = linear;
	ev->mtu = dev ? dev->mtu : 0;
	ev->proto = cached >= ETH_HLEN ? (ev->pkt[12] << 8 | ev->pkt[13]) : 0;
	ev->flags = EVENT_F_L2;
	ev->cap_len = cached;
	if (dev)
		copy16(ev->ifname, dev->name);
	else
		ev->ifname[0] = 0;
	deliver((struct config *)cfg, ev, now);
}

/* Entry of every probe: config and scratch lookups, and the guard against nesting on one CPU. */
static __always_inline struct scratch *enter(struct config **cfg)
{
	u32 zero = 0;
	struct scratch *s;

	*cfg = bpf_map_lookup_elem(&config, &zero);
	if (!*cfg || !((*cfg)->flags & CFG_ENABLED))
		return NULL;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return NULL;
	if (s->busy) {
		count(COUNTER_NESTED);
		return NULL;
	}
	s->busy = 1;
	return s;
}

/*
 * Entry of every probe. net_dev_xmit (HOOK_XMIT_DONE) passes the device and length it reports,
 * because its skb must not be read; other hooks pass NULL and 0. For HOOK_XDP the pointer is an
 * XDP program's struct xdp_buff.
 */
static __always_inline int handle_hit(void *ctx, struct sk_buff *skb, struct net_device *dev, u32 len,
				      struct hit h)
{
	struct config *cfg;
	struct scratch *s;

	if (!skb)
		return 0;
	s = enter(&cfg);
	if (!s)
		return 0;
	if (h.hook == HOOK_XMIT_DONE)
		trace_xmit_done(cfg, &s->ev, (u64)skb, dev, len, &h);
	else if (h.hook == HOOK_XDP)
		trace_xdp(cfg, &s->ev, (struct xdp_buff *)skb, &h);
	else
		trace_skb(ctx, cfg, &s->ev, skb, &h);
	s->busy = 0;
	return 0;
}

static __always_inline int handle_skb(void *ctx, struct sk_buff *skb, struct hit h)
{
	return handle_hit(ctx, skb, NULL, 0, h);
}

/* XDP programs' frames enter through handle_hit as well; the pointer is a struct xdp_buff. */
static __always_inline int handle_xdp(struct xdp_buff *xdp, struct hit h)
{
	h.hook = HOOK_XDP;
	return handle_hit(NULL, (struct sk_buff *)xdp, NULL, 0, h);
}

#endif
