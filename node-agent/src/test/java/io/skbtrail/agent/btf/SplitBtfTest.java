package io.skbtrail.agent.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module BTF: ids continue after vmlinux's, strings after vmlinux's string section, and modules reuse ids. */
@Tag("unit")
class SplitBtfTest {
    @TempDir
    Path dir;

    private MiniKernel k;
    private int conn;
    private int connPtr;
    private int ctSkb;
    private int ovsEnum;
    private KernelBtf btf;

    @BeforeEach
    void writeFiles() throws IOException {
        k = new MiniKernel();
        Path vmlinux = Files.write(dir.resolve("vmlinux"), k.bytes());

        BtfBlobBuilder ct = new BtfBlobBuilder(k.b);
        conn = ct.struct("nf_conn", 256, "skb", k.skbPtr, 0);
        connPtr = ct.ptr(conn);
        ctSkb = ct.func("nf_ct_attach", ct.funcProto(0, "new", k.skbPtr, "skb", k.constSkbPtr), 0);
        ct.func("nf_conntrack_in", ct.funcProto(k.uintT, "ct", connPtr, "skb", k.skbPtr), 0);
        ct.typedef("btf_trace_nf_ct_event", ct.ptr(ct.funcProto(0, null, k.voidPtr, null, connPtr, null, k.skbPtr)));
        Path nfConntrack = Files.write(dir.resolve("nf_conntrack"), ct.build());

        BtfBlobBuilder ovs = new BtfBlobBuilder(k.b);
        ovsEnum = ovs.enumType("ovs_drop_reason", false, "OVS_DROP_LAST_ACTION", 0x30001, "OVS_DROP_ACTION_ERROR",
                0x30002);
        int vport = ovs.ptr(ovs.struct("vport", 64));
        ovs.func("ovs_vport_receive", ovs.funcProto(k.intT, "vport", vport, "skb", k.skbPtr), 0);
        ovs.func("ip_rcv", ovs.funcProto(k.intT, "skb", k.skbPtr), 0); // same name as vmlinux, other module
        Path openvswitch = Files.write(dir.resolve("openvswitch"), ovs.build());

        btf = KernelBtf.loadWithModules(vmlinux, List.of(vmlinux, nfConntrack, openvswitch));
    }

    @Test
    void idsContinueAfterVmlinuxAndModulesReuseThem() {
        assertEquals(k.tpBogus + 1, conn, "first module id follows vmlinux's last");
        assertEquals(conn, ovsEnum, "both modules start at the same id");
        assertEquals(List.of("nf_conntrack", "openvswitch"), List.copyOf(btf.modules()));
        assertEquals(k.tpBogus + 1, btf.typeCount(), "the top level is vmlinux's id space");

        KernelBtf ct = btf.module("nf_conntrack").orElseThrow();
        KernelBtf ovs = btf.module("openvswitch").orElseThrow();
        assertEquals("nf_conntrack", ct.moduleName());
        assertEquals(Kind.STRUCT, ct.kind(conn));
        assertEquals(Kind.ENUM, ovs.kind(conn));
        assertEquals("struct nf_conn *", ct.render(connPtr));
        assertEquals("const struct sk_buff *", ct.render(k.constSkbPtr), "base types through the module view");
        assertEquals(OptionalInt.of(conn), ct.typeId("nf_conn", Kind.STRUCT));
        assertEquals(OptionalInt.of(k.skb), ct.typeId("sk_buff", Kind.STRUCT));
        assertEquals(OptionalInt.empty(), btf.typeId("nf_conn", Kind.STRUCT));
        assertTrue(btf.module("nf_tables").isEmpty());
    }

    @Test
    void moduleStringsFollowTheBaseStrings() {
        KernelBtf ct = btf.module("nf_conntrack").orElseThrow();
        assertEquals("nf_conn", ct.typeName(conn));
        assertEquals("nf_ct_attach", ct.typeName(ctSkb));
        assertEquals("sk_buff", ct.typeName(k.skb));
    }

    @Test
    void queriesSearchVmlinuxThenModules() {
        assertEquals(Map.of(0x30001L, "OVS_DROP_LAST_ACTION", 0x30002L, "OVS_DROP_ACTION_ERROR"),
                btf.enumValues("ovs_drop_reason").orElseThrow());
        assertEquals("NETFILTER_DROP", btf.dropReasons().name(12));

        TracepointSignature tp = btf.tracepoint("nf_ct_event").orElseThrow();
        assertEquals("nf_conntrack", tp.module());
        assertEquals(List.of("struct nf_conn *", "struct sk_buff *"), KernelBtfTest.types(tp));
        assertEquals(1, tp.indexOfParam("sk_buff"));
        assertEquals(null, btf.tracepoint("kfree_skb").orElseThrow().module());
    }

    @Test
    void skbFunctionsNameTheirModule() {
        List<SkbFunction> all = btf.skbFunctions();
        assertEquals(List.of(
                new SkbFunction("ip_rcv", 1, null),
                new SkbFunction("sk_skb_reason_drop", 2, null),
                new SkbFunction("skb_pair", 3, null),
                new SkbFunction("skb_typedefs", 2, null),
                new SkbFunction("nf_ct_attach", 1, "nf_conntrack"),
                new SkbFunction("nf_conntrack_in", 2, "nf_conntrack"),
                new SkbFunction("ovs_vport_receive", 2, "openvswitch"),
                new SkbFunction("ip_rcv", 1, "openvswitch")), all);

        List<SkbFunction> ovsOnly = btf.module("openvswitch").orElseThrow().skbFunctions();
        assertEquals(6, ovsOnly.size(), "a module view covers vmlinux and its module");
        assertEquals(new SkbFunction("ovs_vport_receive", 2, "openvswitch"), ovsOnly.get(4));
    }
}
