package io.skbtrail.agent.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes small raw BTF blobs for tests: add types (ids are handed out in order), then {@link #build}.
 *
 * <p>For split BTF, pass the base builder: ids continue after the base's and string offsets after the base's string
 * section, as the kernel lays out {@code /sys/kernel/btf/<module>}.
 */
final class BtfBlobBuilder {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final int strBase;
    private final int firstId;
    private int nextId;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    BtfBlobBuilder() {
        this.strBase = 0;
        this.firstId = 1;
        this.nextId = 1;
        str("");
    }

    /** A split BTF on top of {@code base} (which must not get more types afterwards). */
    BtfBlobBuilder(BtfBlobBuilder base) {
        this.strBase = base.strBase + base.strings.size();
        this.firstId = base.nextId;
        this.nextId = base.nextId;
        str("");
    }

    BtfBlobBuilder order(ByteOrder order) {
        this.order = order;
        return this;
    }

    int firstId() {
        return firstId;
    }

    /** Offset of {@code s} in the (combined) string section; each blob's strings start with "". */
    int str(String s) {
        return stringOffsets.computeIfAbsent(s, k -> {
            int off = strBase + strings.size();
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            strings.write(b, 0, b.length);
            strings.write(0);
            return off;
        });
    }

    private int nameOff(String name) {
        return name == null || name.isEmpty() ? 0 : str(name); // 0 is "" in the base, also for split BTF
    }

    /** Appends a raw type: header plus trailing words; returns its id. */
    int raw(String name, int kind, int vlen, boolean kindFlag, int sizeOrType, int... trailing) {
        word(nameOff(name));
        word((kindFlag ? 1 << 31 : 0) | kind << 24 | vlen);
        word(sizeOrType);
        for (int w : trailing) {
            word(w);
        }
        return nextId++;
    }

    private void word(int w) {
        types.writeBytes(ByteBuffer.allocate(4).order(order).putInt(w).array());
    }

    int intType(String name, int size, int encoding, int bits) {
        return raw(name, 1, 0, false, size, encoding << 24 | bits);
    }

    int ptr(int target) {
        return raw(null, 2, 0, false, target);
    }

    int array(int elem, int index, int nelems) {
        return raw(null, 3, 0, false, 0, elem, index, nelems);
    }

    /** members: name, type id, bit offset, repeated. */
    int struct(String name, int size, Object... members) {
        return aggregate(4, name, size, members);
    }

    int union(String name, int size, Object... members) {
        return aggregate(5, name, size, members);
    }

    private int aggregate(int kind, String name, int size, Object[] members) {
        int[] words = new int[members.length];
        for (int i = 0; i < members.length; i += 3) {
            words[i] = nameOff((String) members[i]);
            words[i + 1] = (Integer) members[i + 1];
            words[i + 2] = (Integer) members[i + 2];
        }
        return raw(name, kind, members.length / 3, false, size, words);
    }

    /** values: name, int value, repeated. */
    int enumType(String name, boolean signed, Object... values) {
        int[] words = new int[values.length];
        for (int i = 0; i < values.length; i += 2) {
            words[i] = str((String) values[i]);
            words[i + 1] = ((Number) values[i + 1]).intValue();
        }
        return raw(name, 6, values.length / 2, signed, 4, words);
    }

    /** values: name, long value, repeated. */
    int enum64(String name, boolean signed, Object... values) {
        int[] words = new int[values.length / 2 * 3];
        for (int i = 0, w = 0; i < values.length; i += 2) {
            long v = ((Number) values[i + 1]).longValue();
            words[w++] = str((String) values[i]);
            words[w++] = (int) v;
            words[w++] = (int) (v >>> 32);
        }
        return raw(name, 19, values.length / 2, signed, 8, words);
    }

    int fwd(String name, boolean union) {
        return raw(name, 7, 0, union, 0);
    }

    int typedef(String name, int target) {
        return raw(name, 8, 0, false, target);
    }

    int volatileOf(int target) {
        return raw(null, 9, 0, false, target);
    }

    int constOf(int target) {
        return raw(null, 10, 0, false, target);
    }

    int restrictOf(int target) {
        return raw(null, 11, 0, false, target);
    }

    /** linkage: 0 static, 1 global, 2 extern. */
    int func(String name, int proto, int linkage) {
        return raw(name, 12, linkage, false, proto);
    }

    /** params: name, type id, repeated. */
    int funcProto(int ret, Object... params) {
        int[] words = new int[params.length];
        for (int i = 0; i < params.length; i += 2) {
            words[i] = nameOff((String) params[i]);
            words[i + 1] = (Integer) params[i + 1];
        }
        return raw(null, 13, params.length / 2, false, ret, words);
    }

    int var(String name, int type, int linkage) {
        return raw(name, 14, 0, false, type, linkage);
    }

    /** vars: type id, offset, size, repeated. */
    int datasec(String name, int size, int... vars) {
        return raw(name, 15, vars.length / 3, false, size, vars);
    }

    int floatType(String name, int size) {
        return raw(name, 16, 0, false, size);
    }

    int declTag(String name, int type, int componentIdx) {
        return raw(name, 17, 0, false, type, componentIdx);
    }

    int typeTag(String name, int type) {
        return raw(name, 18, 0, false, type);
    }

    /** The blob: 24-byte header, types, strings. */
    byte[] build() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(24 + t.length + s.length).order(order);
        out.putShort((short) 0xEB9F).put((byte) 1).put((byte) 0).putInt(24);
        out.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        out.put(t).put(s);
        return out.array();
    }
}
