package io.skbtrail.agent.btf;

import java.nio.ByteOrder;

/**
 * A tiny vmlinux-like BTF covering every kind the reader handles, with the shapes the kernel really uses for drop
 * reasons, tracepoint typedefs and skb functions. Fields hold the type ids the builder handed out.
 */
final class MiniKernel {
    final BtfBlobBuilder b;
    final int intT, uintT, charT, ucharT, u8, skb, skbPtr, constSkb, constSkbPtr, voidPtr, dropReason, netdevFwd,
            netdevPtr, sock, sockPtr, unionFwd, constU8, charPtr, charPtrConst, volatileInt, charPtrRestrict, arr4,
            arr2x3, ptrArr4, union, cbProto, cbPtr, variadic, noArgs, anonStruct, userTag, userCharPtr, doubleT,
            flags64, skbPtrT, skbT, constSkbT, ptrConstSkbT, skbHead, skbHeadPtr, skbPtrPtr, var, datasec, declTag,
            ipRcv, skReasonDrop, twoSkbs, viaTypedefs, sixth, doublePtr, externFn, ipRcvDup, headOnly, tpKfreeSkb,
            tpConstSkb, tpBogus;

    MiniKernel() {
        this(ByteOrder.LITTLE_ENDIAN);
    }

    MiniKernel(ByteOrder order) {
        b = new BtfBlobBuilder().order(order);
        intT = b.intType("int", 4, 1, 32);
        uintT = b.intType("unsigned int", 4, 0, 32);
        charT = b.intType("char", 1, 2, 8);
        ucharT = b.intType("unsigned char", 1, 0, 8);
        u8 = b.typedef("__u8", ucharT);
        netdevFwd = b.fwd("net_device", false);
        netdevPtr = b.ptr(netdevFwd);
        skb = b.struct("sk_buff", 232, "len", uintT, 0, "dev", netdevPtr, 64);
        skbPtr = b.ptr(skb);
        constSkb = b.constOf(skb);
        constSkbPtr = b.ptr(constSkb);
        voidPtr = b.ptr(0);
        dropReason = b.enumType("skb_drop_reason", false,
                "SKB_NOT_DROPPED_YET", 0, "SKB_CONSUMED", 1, "SKB_DROP_REASON_NOT_SPECIFIED", 2,
                "SKB_DROP_REASON_NO_SOCKET", 3, "SKB_DROP_REASON_NETFILTER_DROP", 12, "SKB_DROP_REASON_MAX", 13,
                "SKB_DROP_REASON_SUBSYS_MASK", 0xffff0000);
        sock = b.struct("sock", 760);
        sockPtr = b.ptr(sock);
        unionFwd = b.fwd("bpf_attr", true);
        constU8 = b.constOf(u8);
        charPtr = b.ptr(charT);
        charPtrConst = b.constOf(charPtr);
        volatileInt = b.volatileOf(intT);
        charPtrRestrict = b.restrictOf(charPtr);
        arr4 = b.array(intT, uintT, 4);
        int arr3 = b.array(intT, uintT, 3);
        arr2x3 = b.array(arr3, uintT, 2);
        ptrArr4 = b.ptr(arr4);
        cbProto = b.funcProto(0, "skb", skbPtr, "n", intT);
        cbPtr = b.ptr(cbProto);
        int constCharPtr = b.ptr(b.constOf(charT));
        variadic = b.funcProto(intT, "fmt", constCharPtr, null, 0);
        noArgs = b.funcProto(intT);
        union = b.union(null, 4, "v4", uintT, 0, "bytes", b.array(ucharT, uintT, 4), 0);
        anonStruct = b.struct(null, 8, "a", intT, 0, "b", intT, 32);
        userTag = b.typeTag("user", charT);
        userCharPtr = b.ptr(userTag);
        doubleT = b.floatType("double", 8);
        flags64 = b.enum64("netdev_flags64", false, "F_LOW", 1L, "F_HIGH", 1L << 40, "F_TOP", -1L);
        var = b.var("init_net", sock, 1);
        datasec = b.datasec(".data..percpu", 8, var, 0, 8);
        declTag = b.declTag("kfunc", var, -1);

        // Pointer-to-skb spellings the scan has to see through.
        skbPtrT = b.typedef("skb_ptr_t", skbPtr);          // typedef struct sk_buff *skb_ptr_t;
        skbT = b.typedef("sk_buff_t", skb);                // typedef struct sk_buff sk_buff_t;
        constSkbT = b.constOf(skbT);
        ptrConstSkbT = b.ptr(constSkbT);                   // const sk_buff_t *
        skbHead = b.struct("sk_buff_head", 24);
        skbHeadPtr = b.ptr(skbHead);
        skbPtrPtr = b.ptr(skbPtr);                         // struct sk_buff **

        ipRcv = b.func("ip_rcv", b.funcProto(intT, "skb", skbPtr, "dev", netdevPtr), 1);
        skReasonDrop = b.func("sk_skb_reason_drop",
                b.funcProto(0, "sk", sockPtr, "skb", skbPtr, "reason", dropReason), 0);
        twoSkbs = b.func("skb_pair", b.funcProto(0, "a", intT, "b", intT, "first", constSkbPtr, "second", skbPtr), 0);
        viaTypedefs = b.func("skb_typedefs",
                b.funcProto(0, "x", intT, "skb", b.constOf(skbPtrT), "also", ptrConstSkbT), 0);
        sixth = b.func("skb_sixth", b.funcProto(0, "a", intT, "b", intT, "c", intT, "d", intT, "e", intT,
                "skb", skbPtr), 0);
        doublePtr = b.func("skb_pskb", b.funcProto(0, "pskb", skbPtrPtr), 0);
        externFn = b.func("bpf_skb_extern", b.funcProto(0, "skb", skbPtr), 2);
        ipRcvDup = b.func("ip_rcv", b.funcProto(intT, "dev", netdevPtr, "skb", skbPtr), 0);
        headOnly = b.func("skb_queue_purge", b.funcProto(0, "list", skbHeadPtr), 0);

        // typedef void (*btf_trace_<tp>)(void *__data, TP_PROTO...);
        tpKfreeSkb = b.typedef("btf_trace_kfree_skb", b.ptr(b.funcProto(0,
                null, voidPtr, null, skbPtr, null, voidPtr, null, dropReason, null, sockPtr)));
        tpConstSkb = b.typedef("btf_trace_skb_const", b.ptr(b.funcProto(0,
                null, voidPtr, "len", intT, "skb", constSkbPtr, "proto", constU8)));
        tpBogus = b.typedef("btf_trace_bogus", intT);
    }

    byte[] bytes() {
        return b.build();
    }

    KernelBtf load() throws BtfException {
        return KernelBtf.parse("mini", bytes(), null, null);
    }
}
