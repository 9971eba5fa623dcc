package io.skbtrail.agent.event;

/**
 * Offsets of struct event in bpf/include/event.h: keep both in sync. All fields little-endian.
 */
final class RawEventLayout {
    static final int KTIME_NS = 0;
    static final int SKB = 8;
    static final int PACKET_ID = 16;
    static final int LOCATION = 24;
    static final int FUNC_IP = 32;
    static final int PROBE_ID = 40;
    static final int PID = 44;
    static final int CPU = 48;
    static final int NETNS = 52;
    static final int MARK = 56;
    static final int IFINDEX = 60;
    static final int LEN = 64;
    static final int MTU = 68;
    static final int DROP_REASON = 72;
    static final int PROTO = 76;
    static final int FLAGS = 78;
    static final int HOOK = 79;
    static final int CAP_LEN = 80;
    static final int STACK_LEN = 82;
    static final int DUMP_LEN = 84;
    static final int COMM = 88;
    static final int IFNAME = 104;
    static final int PKT = 120;
    static final int PKT_MAX = 256;
    /** struct event_ct: conntrack's tuples, present with FLAG_CT (the record then reaches CT + CT_SIZE). */
    static final int CT = PKT + PKT_MAX;
    static final int CT_ORIG_SADDR = 0;
    static final int CT_ORIG_DADDR = 16;
    static final int CT_REPLY_SADDR = 32;
    static final int CT_REPLY_DADDR = 48;
    static final int CT_ORIG_SPORT = 64;
    static final int CT_ORIG_DPORT = 66;
    static final int CT_REPLY_SPORT = 68;
    static final int CT_REPLY_DPORT = 70;
    static final int CT_L3NUM = 72;
    static final int CT_PROTONUM = 74;
    static final int CT_DIR = 75;
    static final int CT_SIZE = 80;
    static final int STACK = CT + CT_SIZE;
    static final int STACK_MAX = 32;
    static final int DUMP = STACK + 8 * STACK_MAX;
    static final int DUMP_MAX = 2048;
    /** Smallest record the kernel writes: everything before pkt[]. */
    static final int HEADER_SIZE = PKT;

    static final int FLAG_L2 = 1;
    static final int FLAG_TRACKED = 1 << 1;
    static final int FLAG_NO_HEADERS = 1 << 2;
    static final int FLAG_NO_SKB_READ = 1 << 3;
    /** pkt[] holds IP and TCP headers rebuilt from the socket, not bytes of the skb. */
    static final int FLAG_SYNTHESIZED = 1 << 4;
    /** The record holds struct event_ct: NAT changed the packet. */
    static final int FLAG_CT = 1 << 5;

    private RawEventLayout() {}
}
