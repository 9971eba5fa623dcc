package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class PcapFilterCompilerTest {

    private static final byte[] SYN_8080 = DifferentialTest.FRAMES.get("tcp syn");

    @Test
    void malformedExpressionCarriesLibpcapsMessage() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> PcapFilterCompiler.compile("tcp and and port"));
        assertTrue(e.getMessage().startsWith("invalid filter \"tcp and and port\": "), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        assertEquals("tcp and and port", e.expression());
        assertTrue(e instanceof FilterException);
    }

    @Test
    void constantDivisionByZeroIsRejectedByLibpcap() {
        // libpcap's optimizer folds (ip[1] & 0) to 0 and refuses; a run-time X == 0 is covered elsewhere.
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> PcapFilterCompiler.compile("ip[0] / (ip[1] & 0) = 0"));
        assertTrue(e.getMessage().endsWith("division by zero"), e.getMessage());
    }

    @Test
    void longExpressionsAreAbbreviatedInMessages() {
        String expression = "tcp port 1 or " + "tcp port 2 or ".repeat(50) + "or";
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> PcapFilterCompiler.compile(expression));
        assertTrue(e.getMessage().contains("(" + expression.length() + " characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"arp", "ether host 02:00:00:00:00:01", "vlan", "arp and arp[7] = 1"})
    void linkLayerExpressionsRejectAllAtL3(String expression) {
        CompiledFilter filter = PcapFilterCompiler.compile(expression);
        assertFalse(filter.l2().rejectsAll());
        assertFalse(filter.l2().cbpf().isEmpty());
        assertTrue(filter.l3().rejectsAll());
        assertTrue(filter.l3().cbpf().isEmpty());
        assertFalse(filter.matchesAll());
        EbpfInterpreter l3 = new EbpfInterpreter(filter.l3().toStub(8));
        assertEquals(0, l3.run(EbpfInterpreter.Call.of(SYN_8080, SYN_8080.length, SYN_8080.length, 40)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankExpressionMatchesAll(String expression) {
        CompiledFilter filter = PcapFilterCompiler.compile(expression);
        assertTrue(filter.matchesAll());
        assertTrue(filter.l2().matchesAll() && filter.l3().matchesAll());
        assertEquals(2, filter.l2().instructionCount());
        EbpfInterpreter stub = new EbpfInterpreter(filter.l3().toStub(16));
        assertEquals(1, stub.run(EbpfInterpreter.Call.of(new byte[0], 0, 0, 0)));
        assertTrue(PcapFilterCompiler.compile(null).matchesAll());
    }

    @Test
    void expressionLibpcapReducesToAcceptMatchesAll() {
        CompiledFilter filter = PcapFilterCompiler.compile("ip or not ip");
        assertTrue(filter.matchesAll(), filter.l2() + " " + filter.l3());
        assertEquals(1, filter.l2().cbpf().size());
    }

    @Test
    void filterThatDoesNotFitTheProgramSaysByHowMuch() {
        String expression = IntStream.range(0, 100)
                .mapToObj(i -> "(host 10.0.0." + (i + 1) + " and port " + (1000 + i) + ")")
                .collect(Collectors.joining(" or "));
        FilterProgram program = PcapFilterCompiler.compile(expression).l2();
        int needed = program.instructionCount();
        assertTrue(needed > 4096, "needs " + needed);
        FilterTooComplexException e = assertThrows(FilterTooComplexException.class, () -> program.toStub(4096));
        assertEquals("filter too complex: needs " + (needed + FilterProgram.PROLOGUE + 1) + " instructions, the program has room for 4096; "
                + "simplify the expression", e.getMessage());
    }

    @Test
    void protochainLoopsAreRefusedClearly() {
        FilterTooComplexException e = assertThrows(FilterTooComplexException.class,
                () -> PcapFilterCompiler.compile("protochain 6"));
        assertTrue(e.getMessage().contains("loops (e.g. protochain) are not supported"), e.getMessage());
        assertTrue(e.getMessage().startsWith("filter \"protochain 6\": "), e.getMessage());
    }

    @Test
    void typicalFilterIsSmall() {
        // A code-size regression guard: the placeholder in the BPF object is sized for filters like this.
        CompiledFilter filter = PcapFilterCompiler.compile("tcp and dst port 8080");
        assertTrue(filter.l2().instructionCount() < 160, filter.l2().toString());
        assertTrue(filter.l3().instructionCount() < 160, filter.l3().toString());
    }
}
