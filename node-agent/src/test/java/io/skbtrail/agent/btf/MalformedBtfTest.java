package io.skbtrail.agent.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class MalformedBtfTest {
    @TempDir
    Path dir;

    private String loadError(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("btf"), content);
        return assertThrows(BtfException.class, () -> KernelBtf.load(file)).getMessage();
    }

    private String prefix() {
        return "read BTF " + dir.resolve("btf") + ": ";
    }

    @Test
    void missingVmlinuxSuggestsKernelBtf() {
        Path missing = dir.resolve("vmlinux");
        BtfException e = assertThrows(BtfException.class, () -> KernelBtf.load(missing));
        assertEquals("read BTF " + missing + ": no such file"
                + " (kernel built without CONFIG_DEBUG_INFO_BTF? pass --kernel-btf FILE)", e.getMessage());
    }

    @Test
    void missingModuleSaysSo() throws IOException {
        Path vmlinux = Files.write(dir.resolve("vmlinux"), new MiniKernel().bytes());
        Path gone = dir.resolve("nf_tables");
        BtfException e = assertThrows(BtfException.class, () -> KernelBtf.loadWithModules(vmlinux, List.of(gone)));
        assertEquals("read BTF " + gone + ": no such file (module unloaded?)", e.getMessage());
    }

    @Test
    void directoryIsAReadError() {
        BtfException e = assertThrows(BtfException.class, () -> KernelBtf.load(dir));
        assertTrue(e.getMessage().startsWith("read BTF " + dir + ": "), e.getMessage());
    }

    @Test
    void badMagic() throws IOException {
        String m = loadError("hello, this is not BTF at all".getBytes(StandardCharsets.US_ASCII));
        assertEquals(prefix() + "bad magic 0x6568 (expected 0xeb9f; not a BTF file)", m);
    }

    @Test
    void elfFileGetsAHint() throws IOException {
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        String m = loadError(elf);
        assertTrue(m.startsWith(prefix() + "bad magic 0x457f (expected 0xeb9f; this is an ELF file"), m);
    }

    @Test
    void emptyAndShortFiles() throws IOException {
        assertEquals(prefix() + "truncated: 0 bytes, a BTF header needs 24", loadError(new byte[0]));
        byte[] good = new MiniKernel().bytes();
        assertEquals(prefix() + "truncated: 10 bytes, a BTF header needs 24", loadError(Arrays.copyOf(good, 10)));
    }

    @Test
    void truncatedSections() throws IOException {
        byte[] good = new MiniKernel().bytes();
        String m = loadError(Arrays.copyOf(good, good.length - 5));
        assertTrue(m.startsWith(prefix() + "truncated: string section ["), m);
        assertTrue(m.endsWith("beyond the end of the file (" + (good.length - 5) + " bytes)"), m);
        String t = loadError(Arrays.copyOf(good, 100));
        assertTrue(t.startsWith(prefix() + "truncated: type section ["), t);
    }

    @Test
    void typeRunningPastItsSection() throws IOException {
        BtfBlobBuilder b = new BtfBlobBuilder();
        int i = b.intType("int", 4, 1, 32);
        b.struct("s", 8, "a", i, 0, "b", i, 32);
        byte[] blob = b.build();
        ByteBuffer h = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(12, h.getInt(12) - 12); // type_len one member short
        assertEquals(prefix() + "truncated: type 2 (STRUCT) runs past the end of the type section", loadError(blob));
        h.putInt(12, 16 + 6); // a type header cut in half
        assertEquals(prefix() + "truncated: type 2 runs past the end of the type section", loadError(blob));
    }

    @Test
    void unknownKindAndVersion() throws IOException {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.intType("int", 4, 1, 32);
        b.raw("future", 25, 0, false, 0);
        assertEquals(prefix() + "type 2 has unknown kind 25 (BTF newer than this reader)", loadError(b.build()));

        byte[] v2 = new MiniKernel().bytes();
        v2[2] = 2;
        assertEquals(prefix() + "unsupported BTF version 2 (expected 1)", loadError(v2));
    }

    @Test
    void badOffsetsInHeaderAndNames() throws IOException {
        byte[] blob = new MiniKernel().bytes();
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1 << 30);
        assertTrue(loadError(blob).startsWith(prefix() + "bad header length 1073741824"));

        BtfBlobBuilder b = new BtfBlobBuilder();
        b.intType("int", 4, 1, 32);
        byte[] names = b.build();
        ByteBuffer.wrap(names).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 4096); // name_off of type 1
        assertEquals(prefix() + "type 1 has name offset 4096 outside the string section", loadError(names));

        byte[] unterminated = b.build();
        unterminated[unterminated.length - 1] = 'x';
        assertEquals(prefix() + "string section does not end with a NUL byte", loadError(unterminated));
    }
}
