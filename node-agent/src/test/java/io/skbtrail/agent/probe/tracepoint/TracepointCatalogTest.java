package io.skbtrail.agent.probe.tracepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.probe.BpfObjects;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TracepointCatalogTest {

    @Test
    void probeIdIsTheIndex() {
        for (int i = 0; i < TracepointCatalog.ALL.size(); i++) {
            assertEquals(i, TracepointCatalog.ALL.get(i).probeId());
        }
    }

    @Test
    void everyCatalogProgramIsInTheBuiltObject() {
        String strings = new String(BpfObjects.read(TracepointBackend.OBJECT), StandardCharsets.ISO_8859_1);
        for (TracepointCatalog.Tracepoint tp : TracepointCatalog.ALL) {
            assertTrue(strings.contains(tp.program() + "\0"), tp.program() + " missing from " + TracepointBackend.OBJECT);
            assertTrue(strings.contains("tp_btf/" + tp.name() + "\0"), "section tp_btf/" + tp.name());
        }
    }

    @Test
    void signatureChecks() {
        TracepointCatalog.Tracepoint kfree = TracepointCatalog.ALL.get(10);
        assertEquals(Optional.empty(), kfree.mismatch(
                List.of("struct sk_buff *", "void *", "enum skb_drop_reason", "struct sock *")));
        assertEquals(Optional.of("tracepoint skb:kfree_skb not in this kernel"), kfree.mismatch(null));
        assertTrue(kfree.mismatch(List.of("struct sk_buff *", "void *")).orElseThrow().contains("has 2 arguments"));
        assertTrue(kfree.mismatch(List.of("struct sock *", "void *", "enum skb_drop_reason")).orElseThrow()
                .contains("not struct sk_buff *"));
        TracepointCatalog.Tracepoint legacy = TracepointCatalog.ALL.get(11);
        assertEquals(Optional.empty(), legacy.mismatch(List.of("struct sk_buff *", "void *")));
        TracepointCatalog.Tracepoint gro = TracepointCatalog.ALL.get(2);
        assertEquals(Optional.empty(), gro.mismatch(List.of("const struct sk_buff *")));
    }

    @Test
    void unknownProbeIdsAreNamedAsSuch() {
        assertEquals("net:netif_receive_skb", TracepointCatalog.qualifiedName(0));
        assertEquals("probe#999", TracepointCatalog.qualifiedName(999));
    }
}
