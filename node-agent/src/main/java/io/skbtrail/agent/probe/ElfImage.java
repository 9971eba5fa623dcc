package io.skbtrail.agent.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A 64-bit little-endian ELF relocatable object (what clang emits for BPF), just enough to find a
 * function by its symbol, overwrite its instructions in place and shorten it.
 */
final class ElfImage {
    private static final int SHT_SYMTAB = 2;
    private static final int SYM_SIZE = 24;
    private static final int STT_FUNC = 2;

    private final byte[] bytes;
    private final ByteBuffer elf;

    ElfImage(byte[] bytes) {
        this.bytes = bytes.clone();
        this.elf = ByteBuffer.wrap(this.bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || elf.getInt(0) != 0x464c457f || bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF object");
        }
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Where a function's code lies in the file and how long it is.
     *
     * @param symbolOffset where its symbol table entry lies in the file
     */
    record Function(String name, int fileOffset, int size, int symbolOffset) {}

    Function function(String name) {
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (elf.getInt(sh + 4) != SHT_SYMTAB) {
                continue;
            }
            int symOffset = (int) elf.getLong(sh + 24);
            int symSize = (int) elf.getLong(sh + 32);
            int strtab = (int) (shoff + (long) elf.getInt(sh + 40) * shentsize);
            int strOffset = (int) elf.getLong(strtab + 24);
            for (int s = symOffset; s + SYM_SIZE <= symOffset + symSize; s += SYM_SIZE) {
                if ((bytes[s + 4] & 0xf) != STT_FUNC || !name.equals(string(strOffset + elf.getInt(s)))) {
                    continue;
                }
                int section = Short.toUnsignedInt(elf.getShort(s + 6));
                int sectionOffset = (int) elf.getLong((int) (shoff + (long) section * shentsize) + 24);
                return new Function(name, sectionOffset + (int) elf.getLong(s + 8), (int) elf.getLong(s + 16), s);
            }
        }
        throw new IllegalArgumentException("no function " + name + " in the BPF object");
    }

    /**
     * Replaces a function's first instructions with {@code code} and shortens the function to it: its
     * symbol's size becomes {@code code.length}. libbpf takes a function's extent from its symbol, so the
     * bytes after it are neither copied into the programs that call it nor sent to the kernel; where the
     * function starts (what calls and relocations refer to) stays the same.
     */
    void overwriteAndShorten(Function function, byte[] code) {
        if (code.length > function.size() || code.length == 0 || code.length % 8 != 0) {
            throw new IllegalArgumentException("code for " + function.name() + " must be whole instructions, at most "
                    + function.size() + " bytes, not " + code.length);
        }
        System.arraycopy(code, 0, bytes, function.fileOffset(), code.length);
        elf.putLong(function.symbolOffset() + 16, code.length);
    }

    private String string(int offset) {
        int end = offset;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
