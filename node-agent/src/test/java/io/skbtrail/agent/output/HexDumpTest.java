package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Expected texts are {@code hexdump -C} output for the same bytes. */
@Tag("unit")
class HexDumpTest {

    private static String dump(String hex, int maxBytes) {
        StringBuilder sb = new StringBuilder();
        HexDump.append(sb, "", hex, maxBytes);
        return sb.toString();
    }

    @Test
    void matchesHexdumpForPartialAndFullLines() {
        assertEquals("""
                00000000  61 62 63                                          |abc|
                00000003
                """, dump("616263", 100));
        assertEquals("""
                00000000  61 62 63 64 65 66 67 68  69 6a                    |abcdefghij|
                0000000a
                """, dump("6162636465666768696a", 100));
        assertEquals("""
                00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|
                00000010  58 59 5a                                          |XYZ|
                00000013
                """, dump("303132333435363738396162636465665859" + "5a", 100));
    }

    @Test
    void cutsAtMaxBytesAndShowsNonPrintableBytesAsDots() {
        assertEquals("""
                00000000  00 7f 80 ff                                       |....|
                00000004
                """, dump("007f80ff4142", 4));
    }

    @Test
    void showsTextThatIsNotHexAsItIs() {
        assertEquals("packet: 4x\n", dump("4x", 10));
        assertEquals("packet: abc\n", dump("abc", 10));
    }
}
