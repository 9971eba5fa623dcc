package io.skbtrail.agent.probe.kprobe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.btf.SkbFunction;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.probe.BpfObjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class SkbFunctionSelectionTest {
    private static final List<SkbFunction> BTF = List.of(
            new SkbFunction("ip_rcv", 1, null),
            new SkbFunction("sk_skb_reason_drop", 2, null),
            new SkbFunction("nf_hook_slow", 1, null),
            new SkbFunction("notrace_fn", 1, null),
            new SkbFunction("vxlan_rcv", 2, "vxlan"),
            new SkbFunction("static_twice", 3, null));

    private static Kallsyms kallsyms(Path dir) throws Exception {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, String.join("\n",
                "ffffffff81000000 T _stext",
                "ffffffff81e42dc0 T sk_skb_reason_drop",
                "ffffffff81f28dd0 T nf_hook_slow",
                "ffffffff81f30000 T ip_rcv",
                "ffffffff81f40000 t static_twice",
                "ffffffff81f50000 t static_twice",
                "ffffffffc0a00000 t vxlan_rcv\t[vxlan]",
                ""), StandardCharsets.UTF_8);
        return Kallsyms.load(file);
    }

    private static final TraceableFunctions TRACEABLE = TraceableFunctions.parse(String.join("\n",
            "ip_rcv", "sk_skb_reason_drop", "nf_hook_slow", "static_twice", "vxlan_rcv [vxlan]", "other_fn"));

    @Test
    void keepsTraceablePlacedFunctionsByArgumentPosition(@TempDir Path dir) throws Exception {
        SkbFunctionSelection.Selection s = SkbFunctionSelection.select(BTF, TRACEABLE, kallsyms(dir), null);
        assertEquals(6, s.candidates());
        assertEquals(1, s.notTraceable(), "notrace_fn is not in available_filter_functions");
        assertEquals(List.of("ip_rcv", "sk_skb_reason_drop", "nf_hook_slow", "vxlan_rcv [vxlan]", "static_twice"),
                s.targets().stream().map(SkbFunctionSelection.Target::displayName).toList());
        assertEquals(List.of(1, 2, 3), List.copyOf(s.byPosition().keySet()));
        SkbFunctionSelection.Target twice = s.byPosition().get(3).get(0);
        assertArrayEquals(new long[] {0xffffffff81f40000L, 0xffffffff81f50000L}, twice.addresses(),
                "kprobe.multi attaches every copy of a static name");
    }

    @Test
    void filterFuncMatchesWholeNames(@TempDir Path dir) throws Exception {
        SkbFunctionSelection.Selection s = SkbFunctionSelection.select(BTF, TRACEABLE, kallsyms(dir),
                Pattern.compile("ip_rcv|.*drop"));
        assertEquals(List.of("ip_rcv", "sk_skb_reason_drop"),
                s.targets().stream().map(SkbFunctionSelection.Target::name).toList());
        assertTrue(SkbFunctionSelection.select(BTF, TRACEABLE, kallsyms(dir), Pattern.compile("ip_")).targets()
                .isEmpty(), "a partial match is no match");
    }

    @Test
    void traceableFunctionsKnowModules() {
        assertTrue(TRACEABLE.contains("vxlan_rcv", "vxlan"));
        assertFalse(TRACEABLE.contains("vxlan_rcv", null));
        assertEquals(6, TRACEABLE.size());
    }

    @Test
    void everyArgumentPositionHasBothPrograms() {
        String strings = new String(BpfObjects.read(KprobeBackend.OBJECT), StandardCharsets.ISO_8859_1);
        for (int n = 1; n <= 5; n++) {
            assertTrue(strings.contains("kprobe_skb_" + n + "\0") && strings.contains("kprobe_multi_skb_" + n + "\0"), "" + n);
        }
    }
}
