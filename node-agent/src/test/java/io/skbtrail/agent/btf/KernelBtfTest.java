package io.skbtrail.agent.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class KernelBtfTest {
    private final MiniKernel k = new MiniKernel();
    private final KernelBtf btf = load(k);

    private static KernelBtf load(MiniKernel k) {
        try {
            return k.load();
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyKindIsIndexedById() {
        assertEquals(Kind.VOID, btf.kind(0));
        assertEquals(Kind.INT, btf.kind(k.intT));
        assertEquals(Kind.PTR, btf.kind(k.skbPtr));
        assertEquals(Kind.ARRAY, btf.kind(k.arr4));
        assertEquals(Kind.STRUCT, btf.kind(k.skb));
        assertEquals(Kind.UNION, btf.kind(k.union));
        assertEquals(Kind.ENUM, btf.kind(k.dropReason));
        assertEquals(Kind.FWD, btf.kind(k.netdevFwd));
        assertEquals(Kind.TYPEDEF, btf.kind(k.u8));
        assertEquals(Kind.VOLATILE, btf.kind(k.volatileInt));
        assertEquals(Kind.CONST, btf.kind(k.constSkb));
        assertEquals(Kind.RESTRICT, btf.kind(k.charPtrRestrict));
        assertEquals(Kind.FUNC, btf.kind(k.ipRcv));
        assertEquals(Kind.FUNC_PROTO, btf.kind(k.cbProto));
        assertEquals(Kind.VAR, btf.kind(k.var));
        assertEquals(Kind.DATASEC, btf.kind(k.datasec));
        assertEquals(Kind.FLOAT, btf.kind(k.doubleT));
        assertEquals(Kind.DECL_TAG, btf.kind(k.declTag));
        assertEquals(Kind.TYPE_TAG, btf.kind(k.userTag));
        assertEquals(Kind.ENUM64, btf.kind(k.flags64));
        assertEquals(k.tpBogus + 1, btf.typeCount(), "the last type added has the highest id");
    }

    @Test
    void rendersCTypes() {
        assertEquals("void", btf.render(0));
        assertEquals("int", btf.render(k.intT));
        assertEquals("unsigned int", btf.render(k.uintT));
        assertEquals("struct sk_buff *", btf.render(k.skbPtr));
        assertEquals("const struct sk_buff *", btf.render(k.constSkbPtr));
        assertEquals("void *", btf.render(k.voidPtr));
        assertEquals("enum skb_drop_reason", btf.render(k.dropReason));
        assertEquals("struct net_device *", btf.render(k.netdevPtr));
        assertEquals("union bpf_attr", btf.render(k.unionFwd));
        assertEquals("union {...}", btf.render(k.union));
        assertEquals("const __u8", btf.render(k.constU8));
        assertEquals("char * const", btf.render(k.charPtrConst));
        assertEquals("volatile int", btf.render(k.volatileInt));
        assertEquals("char * restrict", btf.render(k.charPtrRestrict));
        assertEquals("int[4]", btf.render(k.arr4));
        assertEquals("int[2][3]", btf.render(k.arr2x3));
        assertEquals("int (*)[4]", btf.render(k.ptrArr4));
        assertEquals("void (struct sk_buff *, int)", btf.render(k.cbProto));
        assertEquals("void (*)(struct sk_buff *, int)", btf.render(k.cbPtr));
        assertEquals("int (const char *, ...)", btf.render(k.variadic));
        assertEquals("int (void)", btf.render(k.noArgs));
        assertEquals("struct {...}", btf.render(k.anonStruct));
        assertEquals("char *", btf.render(k.userCharPtr), "type tags are annotations, not C");
        assertEquals("double", btf.render(k.doubleT));
        assertEquals("enum netdev_flags64", btf.render(k.flags64));
        assertEquals("struct sock", btf.render(k.var), "a VAR renders as its type");
        assertEquals(".data..percpu", btf.render(k.datasec));
        assertEquals("const sk_buff_t *", btf.render(k.ptrConstSkbT));
        assertEquals("struct sk_buff **", btf.render(k.skbPtrPtr));
        assertEquals("ip_rcv", btf.render(k.ipRcv));
    }

    @Test
    void bigEndianBlobReadsTheSame() throws BtfException {
        MiniKernel be = new MiniKernel(ByteOrder.BIG_ENDIAN);
        KernelBtf other = be.load();
        assertEquals("const struct sk_buff *", other.render(be.constSkbPtr));
        assertEquals(btf.enumValues("netdev_flags64"), other.enumValues("netdev_flags64"));
        assertEquals(btf.skbFunctions(), other.skbFunctions());
        assertEquals(btf.tracepoint("kfree_skb"), other.tracepoint("kfree_skb"));
    }

    @Test
    void looksUpTypesByNameAndKind() {
        assertEquals(OptionalInt.of(k.skb), btf.typeId("sk_buff", Kind.STRUCT));
        assertEquals(OptionalInt.of(k.netdevFwd), btf.typeId("net_device", Kind.FWD));
        assertEquals(OptionalInt.empty(), btf.typeId("sk_buff", Kind.UNION));
        assertEquals(OptionalInt.empty(), btf.typeId("sk_buf", Kind.STRUCT));
        assertEquals(OptionalInt.empty(), btf.typeId("sk_buff_extra", Kind.STRUCT));
        assertEquals(OptionalInt.of(k.ipRcv), btf.typeId("ip_rcv", Kind.FUNC), "first of two definitions");
        assertEquals("sk_buff", btf.typeName(k.skb));
        assertEquals("", btf.typeName(k.skbPtr));
        assertEquals("void", btf.typeName(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> btf.typeName(btf.typeCount()));
        assertTrue(e.getMessage().startsWith("type id " + btf.typeCount() + " out of range"), e.getMessage());
    }

    @Test
    void enumValuesInDeclarationOrderWithSignedness() {
        Map<Long, String> reasons = btf.enumValues("skb_drop_reason").orElseThrow();
        assertEquals(List.of(0L, 1L, 2L, 3L, 12L, 13L, 0xffff0000L), new ArrayList<>(reasons.keySet()));
        assertEquals("SKB_DROP_REASON_NETFILTER_DROP", reasons.get(12L));

        Map<Long, String> wide = btf.enumValues("netdev_flags64").orElseThrow();
        Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(1L, "F_LOW");
        expected.put(1L << 40, "F_HIGH");
        expected.put(-1L, "F_TOP");
        assertEquals(expected, wide);

        assertTrue(btf.enumValues("no_such_enum").isEmpty());
        assertTrue(btf.enumValues("sk_buff").isEmpty(), "a struct is not an enum");
    }

    @Test
    void signedEnumAndFirstDefinitionWins() throws BtfException {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.enumType("e", true, "MINUS", -1, "ZERO", 0, "ALIAS", 0);
        b.enumType("e", false, "OTHER", 7);
        b.enumType("u", false, "BIG", -1);
        KernelBtf two = KernelBtf.parse("enums", b.build(), null, null);
        Map<Long, String> e = two.enumValues("e").orElseThrow();
        assertEquals(Map.of(-1L, "MINUS", 0L, "ZERO"), e);
        assertEquals(Map.of(0xffffffffL, "BIG"), two.enumValues("u").orElseThrow());
    }

    @Test
    void tracepointSignatureSkipsTheDataPointer() {
        TracepointSignature tp = btf.tracepoint("kfree_skb").orElseThrow();
        assertEquals("kfree_skb", tp.name());
        assertEquals(null, tp.module());
        assertEquals(List.of("struct sk_buff *", "void *", "enum skb_drop_reason", "struct sock *"), types(tp));
        assertEquals(4, tp.paramCount());
        assertEquals(0, tp.indexOfParam("sk_buff"));
        assertEquals(0, tp.indexOfParam("struct sk_buff"));
        assertEquals(3, tp.indexOfParam("sock"));
        assertEquals(-1, tp.indexOfParam("net_device"));
        assertEquals(k.dropReason, tp.params().get(2).typeId());

        TracepointSignature c = btf.tracepoint("skb_const").orElseThrow();
        assertEquals(List.of("int", "const struct sk_buff *", "const __u8"), types(c));
        assertEquals(List.of("len", "skb", "proto"), c.params().stream().map(TracepointSignature.Param::name).toList());
        assertEquals(1, c.indexOfParam("sk_buff"));
    }

    @Test
    void missingOrMalformedTracepointIsEmpty() {
        assertTrue(btf.tracepoint("no_such_tp").isEmpty());
        assertTrue(btf.tracepoint("bogus").isEmpty(), "typedef that is not a function pointer");
        assertTrue(btf.tracepoint("kfree").isEmpty(), "no prefix matching");
    }

    static List<String> types(TracepointSignature tp) {
        return tp.params().stream().map(TracepointSignature.Param::type).toList();
    }

    @Test
    void skbFunctionsRecordTheFirstSkbParameter() {
        List<SkbFunction> expected = List.of(
                new SkbFunction("ip_rcv", 1, null),
                new SkbFunction("sk_skb_reason_drop", 2, null),
                new SkbFunction("skb_pair", 3, null),
                new SkbFunction("skb_typedefs", 2, null));
        assertEquals(expected, btf.skbFunctions());
        assertTrue(btf.skbFunctions() == btf.skbFunctions(), "computed once");
        // skb_sixth: sixth parameter, out of kprobe register reach; skb_pskb: struct sk_buff **;
        // bpf_skb_extern: extern declaration; skb_queue_purge: struct sk_buff_head *.
        assertFalse(btf.skbFunctions().stream().anyMatch(f -> f.name().equals("skb_sixth")));
    }
}
