package io.skbtrail.agent.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against this machine's {@code /sys/kernel/btf/vmlinux}. Values were checked against
 * {@code bpftool btf dump file /sys/kernel/btf/vmlinux} on 6.18; drop reason numbers and inlining change between
 * kernel versions.
 */
@Tag("kernel")
class VmlinuxBtfTest {
    private static KernelBtf btf;

    @BeforeAll
    static void load() throws BtfException {
        btf = KernelBtf.load(KernelBtf.VMLINUX);
    }

    @Test
    void dropReasons() {
        DropReasons reasons = btf.dropReasons();
        assertTrue(reasons.isAvailable());
        assertEquals("NOT_DROPPED_YET", reasons.name(0));
        assertEquals("CONSUMED", reasons.name(1));
        assertEquals("NOT_SPECIFIED", reasons.name(2));
        assertEquals("NO_SOCKET", reasons.name(3));
        assertEquals("TCP_CSUM", reasons.name(10));
        assertEquals("NETFILTER_DROP", reasons.name(12));
        assertEquals("OTHERHOST", reasons.name(13));
        assertFalse(reasons.isRealDrop(1));
        assertTrue(reasons.isRealDrop(12));
        assertTrue(reasons.all().size() > 100, "6.18 names 128 reasons");
        Map<Long, String> raw = btf.enumValues("skb_drop_reason").orElseThrow();
        assertEquals("SKB_DROP_REASON_SUBSYS_MASK", raw.get(0xffff0000L), "unsigned 32-bit enum value");
    }

    @Test
    void tracepoints() {
        TracepointSignature kfree = btf.tracepoint("kfree_skb").orElseThrow();
        assertEquals(List.of("struct sk_buff *", "void *", "enum skb_drop_reason", "struct sock *"),
                KernelBtfTest.types(kfree));
        assertEquals(0, kfree.indexOfParam("sk_buff"));
        assertEquals(4, kfree.paramCount());

        TracepointSignature xmit = btf.tracepoint("net_dev_xmit").orElseThrow();
        assertEquals(List.of("struct sk_buff *", "int", "struct net_device *", "unsigned int"),
                KernelBtfTest.types(xmit));

        assertEquals(List.of("struct sk_buff *", "void *"),
                KernelBtfTest.types(btf.tracepoint("consume_skb").orElseThrow()));
        assertEquals(Optional.empty(), btf.tracepoint("no_such_tp"));
    }

    @Test
    void skbFunctions() {
        List<SkbFunction> functions = btf.skbFunctions();
        Map<String, Integer> position = functions.stream()
                .collect(Collectors.toMap(SkbFunction::name, SkbFunction::skbParamPosition));
        assertEquals(functions.size(), position.size(), "vmlinux names are unique after deduplication");
        assertEquals(1, position.get("ip_rcv"));
        assertEquals(1, position.get("nf_hook_slow"));
        assertEquals(1, position.get("consume_skb"));
        assertEquals(2, position.get("sk_skb_reason_drop"), "(struct sock *sk, struct sk_buff *skb, reason)");
        assertEquals(3, position.get("ip_output"), "(struct net *net, struct sock *sk, struct sk_buff *skb)");
        assertFalse(position.containsKey("kfree_skb_reason"), "an inline wrapper on 6.18: no FUNC");
        assertFalse(position.containsKey("__netif_receive_skb_core"), "takes struct sk_buff **");
        assertTrue(functions.size() > 1000, "6.18 has 2405");
        assertTrue(functions.stream().allMatch(f -> f.module() == null));
    }

    @Test
    void typeLookup() {
        int skb = btf.typeId("sk_buff", Kind.STRUCT).orElseThrow();
        assertEquals("sk_buff", btf.typeName(skb));
        assertEquals("struct sk_buff", btf.render(skb));
        int reason = btf.typeId("skb_drop_reason", Kind.ENUM).orElseThrow();
        assertEquals(reason, btf.tracepoint("kfree_skb").orElseThrow().params().get(2).typeId());
        assertEquals(Kind.FUNC, btf.kind(btf.typeId("nf_hook_slow", Kind.FUNC).orElseThrow()));
        assertTrue(btf.typeId("sk_buff", Kind.UNION).isEmpty());
    }
}
