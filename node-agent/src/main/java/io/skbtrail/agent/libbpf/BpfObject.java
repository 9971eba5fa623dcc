package io.skbtrail.agent.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A BPF object (an ELF file of programs and maps) opened from bytes, then loaded into the kernel.
 * Closing it unloads everything it loaded; close the links first.
 */
public final class BpfObject implements AutoCloseable {
    private static final int OPEN_OPTS_SIZE = 80;
    private static final long OPTS_OBJECT_NAME = 8;
    private static final long OPTS_BTF_CUSTOM_PATH = 48;

    private final LibBpf lib = LibBpf.get();
    private final Memory elf;
    private final List<Memory> keepAlive = new ArrayList<>();
    private Pointer obj;

    private BpfObject(Memory elf, Pointer obj) {
        this.elf = elf;
        this.obj = obj;
    }

    /**
     * Opens an object from its ELF bytes.
     *
     * @param kernelBtf BTF of the running kernel to relocate against, or null for the kernel's own
     */
    public static BpfObject open(byte[] elfBytes, String name, Path kernelBtf) {
        LibBpfLog.install();
        Memory elf = new Memory(elfBytes.length);
        elf.write(0, elfBytes, 0, elfBytes.length);
        Memory opts = new Memory(OPEN_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, OPEN_OPTS_SIZE);
        Memory objectName = new Memory(name.length() + 1L);
        objectName.setString(0, name);
        opts.setPointer(OPTS_OBJECT_NAME, objectName);
        Memory btfPath = null;
        if (kernelBtf != null) {
            btfPath = new Memory(kernelBtf.toString().length() * 4L + 1);
            btfPath.setString(0, kernelBtf.toString());
            opts.setPointer(OPTS_BTF_CUSTOM_PATH, btfPath);
        }
        Pointer obj = LibBpf.get().bpf_object__open_mem(elf, elfBytes.length, opts);
        if (obj == null) {
            throw new LibBpfException("open BPF object " + name, Native.getLastError(), LibBpfLog.drain());
        }
        BpfObject object = new BpfObject(elf, obj);
        object.keepAlive.add(opts);
        object.keepAlive.add(objectName);
        if (btfPath != null) {
            object.keepAlive.add(btfPath);
        }
        return object;
    }

    public BpfProgram program(String name) {
        Pointer prog = lib.bpf_object__find_program_by_name(live(), name);
        if (prog == null) {
            throw new IllegalArgumentException("no BPF program named " + name + " in the object");
        }
        return new BpfProgram(prog);
    }

    public List<BpfProgram> programs() {
        List<BpfProgram> all = new ArrayList<>();
        for (Pointer p = lib.bpf_object__next_program(live(), null); p != null;
                p = lib.bpf_object__next_program(live(), p)) {
            all.add(new BpfProgram(p));
        }
        return all;
    }

    public BpfMap map(String name) {
        Pointer map = lib.bpf_object__find_map_by_name(live(), name);
        if (map == null) {
            throw new IllegalArgumentException("no BPF map named " + name + " in the object");
        }
        return new BpfMap(map, name);
    }

    /** Loads maps and the programs whose autoload is on; the verifier's log is in the exception. */
    public void load() {
        LibBpfLog.drain();
        if (lib.bpf_object__load(live()) != 0) {
            throw new LibBpfException("load BPF object", Native.getLastError(), LibBpfLog.drain());
        }
    }

    private Pointer live() {
        if (obj == null) {
            throw new IllegalStateException("BPF object is closed");
        }
        return obj;
    }

    @Override
    public void close() {
        if (obj != null) {
            lib.bpf_object__close(obj);
            obj = null;
            keepAlive.clear();
            elf.close();
        }
    }
}
