package io.skbtrail.agent.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A BPF program already loaded in the kernel (by anyone), opened by id; close it to drop our reference.
 * Used to find the tc and XDP programs to trace.
 */
public final class LoadedProgram implements AutoCloseable {
    public static final int TYPE_SCHED_CLS = 3;
    public static final int TYPE_XDP = 6;
    private static final int INFO_SIZE = 232;

    private final int fd;
    private final int id;
    private final int type;
    private final String tag;
    private final String name;
    private final int btfId;

    private LoadedProgram(int fd, int id, int type, String tag, String name, int btfId) {
        this.fd = fd;
        this.id = id;
        this.type = type;
        this.tag = tag;
        this.name = name;
        this.btfId = btfId;
    }

    /** Every loaded program of these types; programs that vanish while listed are skipped. */
    public static List<LoadedProgram> list(int... types) {
        LibBpf lib = LibBpf.get();
        List<LoadedProgram> found = new ArrayList<>();
        try (Memory next = new Memory(4)) {
            int id = 0;
            while (lib.bpf_prog_get_next_id(id, next) == 0) {
                id = next.getInt(0);
                int fd = lib.bpf_prog_get_fd_by_id(id);
                if (fd < 0) {
                    continue;
                }
                LoadedProgram p = describe(fd);
                if (java.util.Arrays.stream(types).anyMatch(t -> t == p.type)) {
                    found.add(p);
                } else {
                    p.close();
                }
            }
        }
        return found;
    }

    private static LoadedProgram describe(int fd) {
        try (Memory info = new Memory(INFO_SIZE); Memory len = new Memory(4)) {
            info.clear();
            len.setInt(0, INFO_SIZE);
            if (LibBpf.get().bpf_obj_get_info_by_fd(fd, info, len) != 0) {
                int errno = Native.getLastError();
                LibC.INSTANCE.close(fd);
                throw new LibBpfException("read program info", errno);
            }
            return new LoadedProgram(fd, info.getInt(4), info.getInt(0), HexFormat.of().formatHex(info.getByteArray(8, 8)),
                    info.getString(64), info.getInt(128));
        }
    }

    public int fd() {
        return fd;
    }

    public int id() {
        return id;
    }

    public int type() {
        return type;
    }

    /** The program's tag (hex), as in its kallsyms name {@code bpf_prog_<tag>_<function>}. */
    public String tag() {
        return tag;
    }

    /** The kernel's (16-character) name of the program. */
    public String name() {
        return name;
    }

    /** Whether it has BTF, which fentry on it needs. */
    public boolean hasBtf() {
        return btfId != 0;
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
