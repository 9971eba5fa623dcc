package io.skbtrail.agent.btf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One raw BTF blob (the format of {@code /sys/kernel/btf/*} and of an ELF {@code .BTF} section), kept as the file's
 * bytes plus one int offset per type, so type ids index the type table directly.
 *
 * <p>Split BTF (kernel modules) sits on top of a base: its type ids continue after the base's last id and its string
 * offsets continue after the end of the base's string section. Accessors taking a type id route ids below
 * {@link #firstId} to the base, so callers can use one id space.
 */
final class BtfFile {
    static final int HEADER_SIZE = 24;
    private static final int MAGIC = 0xEB9F;
    private static final int TYPE_HEADER = 12; // struct btf_type { name_off, info, size/type }

    final String source;
    final BtfFile base;
    /** First type id described by this blob: 1 for vmlinux, the base's {@link #nextId} for split BTF. */
    final int firstId;
    private final byte[] data;
    private final ByteBuffer buf;
    private final int[] offsets;
    private final int strStart;
    private final int strLen;
    /** String offsets below this belong to the base. */
    private final int strBase;

    private BtfFile(String source, BtfFile base, byte[] data, ByteBuffer buf, int[] offsets,
                    int strStart, int strLen) {
        this.source = source;
        this.base = base;
        this.firstId = base == null ? 1 : base.nextId();
        this.data = data;
        this.buf = buf;
        this.offsets = offsets;
        this.strStart = strStart;
        this.strLen = strLen;
        this.strBase = base == null ? 0 : base.strBase + base.strLen;
    }

    /** Reads a BTF file; {@code base} is null for vmlinux and the vmlinux BTF for a module's split BTF. */
    static BtfFile read(Path path, BtfFile base) throws BtfException {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BtfException("read BTF " + path + ": no such file" + (base == null
                    ? " (kernel built without CONFIG_DEBUG_INFO_BTF? pass --kernel-btf FILE)"
                    : " (module unloaded?)"), e);
        } catch (AccessDeniedException e) {
            throw new BtfException("read BTF " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new BtfException("read BTF " + path + ": " + e.getMessage(), e);
        }
        return parse(path.toString(), data, base);
    }

    /** Parses BTF bytes; {@code source} names the blob in error messages. */
    static BtfFile parse(String source, byte[] data, BtfFile base) throws BtfException {
        String what = "read BTF " + source + ": ";
        if (data.length < 2) {
            throw new BtfException(what + "truncated: " + data.length + " bytes, a BTF header needs " + HEADER_SIZE);
        }
        // The magic tells the byte order: BTF is written in the target's endianness.
        ByteOrder order;
        int b0 = data[0] & 0xff;
        int b1 = data[1] & 0xff;
        if ((b0 | b1 << 8) == MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if ((b1 | b0 << 8) == MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            boolean elf = data.length >= 4 && b0 == 0x7f && b1 == 'E' && data[2] == 'L' && data[3] == 'F';
            throw new BtfException(what + String.format("bad magic 0x%04x (expected 0xeb9f; ", b0 | b1 << 8)
                    + (elf ? "this is an ELF file, pass raw BTF such as /sys/kernel/btf/vmlinux)" : "not a BTF file)"));
        }
        if (data.length < HEADER_SIZE) {
            throw new BtfException(what + "truncated: " + data.length + " bytes, a BTF header needs " + HEADER_SIZE);
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(order);
        int version = data[2] & 0xff;
        if (version != 1) {
            throw new BtfException(what + "unsupported BTF version " + version + " (expected 1)");
        }
        long hdrLen = Integer.toUnsignedLong(buf.getInt(4));
        if (hdrLen < HEADER_SIZE || hdrLen > data.length) {
            throw new BtfException(what + "bad header length " + hdrLen + " (file has " + data.length + " bytes)");
        }
        long typeOff = hdrLen + Integer.toUnsignedLong(buf.getInt(8));
        long typeLen = Integer.toUnsignedLong(buf.getInt(12));
        long strOff = hdrLen + Integer.toUnsignedLong(buf.getInt(16));
        long strLen = Integer.toUnsignedLong(buf.getInt(20));
        checkSection(what, "type", typeOff, typeLen, data.length);
        checkSection(what, "string", strOff, strLen, data.length);
        if (strLen > 0 && data[(int) (strOff + strLen - 1)] != 0) {
            throw new BtfException(what + "string section does not end with a NUL byte");
        }
        int[] offsets = index(what, buf, (int) typeOff, (int) (typeOff + typeLen),
                base == null ? 1 : base.nextId(), (base == null ? 0 : base.strBase + base.strLen) + strLen);
        return new BtfFile(source, base, data, buf, offsets, (int) strOff, (int) strLen);
    }

    private static void checkSection(String what, String name, long off, long len, int size) throws BtfException {
        if (off + len > size) {
            throw new BtfException(what + "truncated: " + name + " section [" + off + ", " + (off + len)
                    + ") beyond the end of the file (" + size + " bytes)");
        }
    }

    /** One pass over the type section recording where each type starts. */
    private static int[] index(String what, ByteBuffer buf, int start, int end, int firstId, long strTotal)
            throws BtfException {
        int[] offsets = new int[Math.max(16, (end - start) / 20)];
        int n = 0;
        int pos = start;
        while (pos < end) {
            int id = firstId + n;
            if (end - pos < TYPE_HEADER) {
                throw new BtfException(what + "truncated: type " + id + " runs past the end of the type section");
            }
            long nameOff = Integer.toUnsignedLong(buf.getInt(pos));
            int info = buf.getInt(pos + 4);
            Kind kind = Kind.ofCode(info >>> 24 & 0x1f);
            if (kind == null) {
                throw new BtfException(what + "type " + id + " has unknown kind " + (info >>> 24 & 0x1f)
                        + " (BTF newer than this reader)");
            }
            if (nameOff >= strTotal) {
                throw new BtfException(what + "type " + id + " has name offset " + nameOff
                        + " outside the string section");
            }
            long next = (long) pos + TYPE_HEADER + kind.trailingBytes(info & 0xffff);
            if (next > end) {
                throw new BtfException(what + "truncated: type " + id + " (" + kind
                        + ") runs past the end of the type section");
            }
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n + (n >> 1) + 16);
            }
            offsets[n++] = pos;
            pos = (int) next;
        }
        return Arrays.copyOf(offsets, n);
    }

    /** One past the highest type id of this blob (including its base). */
    int nextId() {
        return firstId + offsets.length;
    }

    /** The blob that holds type {@code id}; throws for ids outside this id space. */
    private BtfFile owner(int id) {
        if (id <= 0 || id >= nextId()) {
            throw new IllegalArgumentException("type id " + id + " out of range 1.." + (nextId() - 1)
                    + " in BTF " + source);
        }
        BtfFile f = this;
        while (id < f.firstId) {
            f = f.base;
        }
        return f;
    }

    private int info(int id) {
        BtfFile f = owner(id);
        return f.buf.getInt(f.offsets[id - f.firstId] + 4);
    }

    Kind kind(int id) {
        return id == 0 ? Kind.VOID : Kind.ofCode(info(id) >>> 24 & 0x1f);
    }

    /** {@code vlen}: member/parameter/value count, or the linkage of a FUNC. */
    int vlen(int id) {
        return id == 0 ? 0 : info(id) & 0xffff;
    }

    /** {@code kind_flag}: union for FWD, signed for ENUM/ENUM64, bitfield offsets for STRUCT/UNION. */
    boolean kindFlag(int id) {
        return id != 0 && info(id) < 0;
    }

    /** The {@code size} or {@code type} word of {@code struct btf_type}. */
    int sizeOrType(int id) {
        BtfFile f = owner(id);
        return f.buf.getInt(f.offsets[id - f.firstId] + 8);
    }

    int nameOff(int id) {
        BtfFile f = owner(id);
        return f.buf.getInt(f.offsets[id - f.firstId]);
    }

    String name(int id) {
        return id == 0 ? "" : string(nameOff(id));
    }

    /** Word {@code word} (0-based, 4 bytes each) of the kind-specific data after type {@code id}'s header. */
    int extra(int id, int word) {
        BtfFile f = owner(id);
        return f.buf.getInt(f.offsets[id - f.firstId] + TYPE_HEADER + 4 * word);
    }

    /** The string at offset {@code off}, looking into the base for offsets below its end. */
    String string(int off) {
        BtfFile f = stringOwner(off);
        int rel = off - f.strBase;
        if (rel >= f.strLen) {
            throw new IllegalStateException("string offset " + Integer.toUnsignedString(off)
                    + " outside the string section of BTF " + source);
        }
        int start = f.strStart + rel;
        int end = start;
        while (f.data[end] != 0) {
            end++;
        }
        return new String(f.data, start, end - start, StandardCharsets.UTF_8);
    }

    private BtfFile stringOwner(int off) {
        if (off < 0) {
            throw new IllegalStateException("string offset " + Integer.toUnsignedString(off)
                    + " outside the string section of BTF " + source);
        }
        BtfFile f = this;
        while (off < f.strBase) {
            f = f.base;
        }
        return f;
    }

    /** True when the name of type {@code id} equals {@code name} (UTF-8 bytes), without building a String. */
    boolean nameEquals(int id, byte[] name) {
        int off = nameOff(id);
        BtfFile f = stringOwner(off);
        int pos = f.strStart + off - f.strBase;
        int limit = f.strStart + f.strLen;
        if (pos + name.length >= limit) {
            return false;
        }
        for (byte b : name) {
            if (f.data[pos++] != b) {
                return false;
            }
        }
        return f.data[pos] == 0;
    }

    /** Follows CONST, VOLATILE, RESTRICT, TYPE_TAG and TYPEDEF to the underlying type (bounded for bad BTF). */
    int skipModifiersAndTypedefs(int id) {
        for (int hops = 0; id != 0 && hops < 64; hops++) {
            switch (kind(id)) {
                case CONST:
                case VOLATILE:
                case RESTRICT:
                case TYPE_TAG:
                case TYPEDEF:
                    id = sizeOrType(id);
                    break;
                default:
                    return id;
            }
        }
        return id;
    }
}
