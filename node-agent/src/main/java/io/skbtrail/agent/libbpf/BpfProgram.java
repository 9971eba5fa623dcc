package io.skbtrail.agent.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** One program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {
    private static final int PROG_INFO_SIZE = 232;
    private static final long INFO_RUN_TIME_NS = 192;
    private static final long INFO_RUN_CNT = 200;
    private static final long INFO_RECURSION_MISSES = 208;
    private static final long INFO_VERIFIED_INSNS = 216;

    private final LibBpf lib = LibBpf.get();
    private final Pointer prog;

    BpfProgram(Pointer prog) {
        this.prog = prog;
    }

    public String name() {
        return lib.bpf_program__name(prog);
    }

    public String section() {
        return lib.bpf_program__section_name(prog);
    }

    /** Whether {@link BpfObject#load()} loads this program; set before load. */
    public void setAutoload(boolean autoload) {
        int rc = lib.bpf_program__set_autoload(prog, autoload);
        if (rc != 0) {
            throw new LibBpfException("set autoload of " + name(), -rc);
        }
    }

    public boolean autoload() {
        return lib.bpf_program__autoload(prog);
    }

    /** Attaches where the program's section says (tp_btf/…, kprobe/…); close the link to detach. */
    public BpfLink attach() {
        LibBpfLog.drain();
        Pointer link = lib.bpf_program__attach(prog);
        if (link == null) {
            throw new LibBpfException("attach " + section(), Native.getLastError(), LibBpfLog.drain());
        }
        return new BpfLink(link);
    }

    /** Attaches a kprobe at the entry of {@code function} (before load: a kprobe section). */
    public BpfLink attachKprobe(String function) {
        Pointer link = lib.bpf_program__attach_kprobe(prog, false, function);
        if (link == null) {
            throw new LibBpfException("attach kprobe " + function, Native.getLastError(), LibBpfLog.drain());
        }
        return new BpfLink(link);
    }

    /**
     * Attaches one kprobe.multi link to all these function addresses (Linux 5.18+, CONFIG_FPROBE).
     * Layout of struct bpf_kprobe_multi_opts (libbpf 1.1): sz, syms, addrs, cookies, cnt, retprobe.
     */
    public BpfLink attachKprobeMulti(long[] addresses) {
        try (Memory addrs = new Memory(8L * Math.max(1, addresses.length)); Memory opts = new Memory(48)) {
            for (int i = 0; i < addresses.length; i++) {
                addrs.setLong(8L * i, addresses[i]);
            }
            opts.clear();
            opts.setLong(0, 48);
            opts.setPointer(16, addrs);
            opts.setLong(32, addresses.length);
            Pointer link = lib.bpf_program__attach_kprobe_multi_opts(prog, null, opts);
            if (link == null) {
                throw new LibBpfException("attach kprobe.multi to " + addresses.length + " functions",
                        Native.getLastError(), LibBpfLog.drain());
            }
            return new BpfLink(link);
        }
    }

    /** Sets the function an fentry/fexit program attaches to (before load). */
    public void setAttachTarget(String function) {
        setAttachTarget(null, function);
    }

    /** Sets the BPF program (and its function) an fentry/fexit program attaches to (before load). */
    public void setAttachTarget(LoadedProgram target, String function) {
        int rc = lib.bpf_program__set_attach_target(prog, target == null ? 0 : target.fd(), function);
        if (rc != 0) {
            throw new LibBpfException("set attach target " + function + " of " + name(), -rc);
        }
    }

    /** Run-time statistics from the kernel (run time counts only while BPF stats are enabled). */
    public Stats stats() {
        try (Memory info = new Memory(PROG_INFO_SIZE); Memory len = new Memory(4)) {
            info.clear();
            len.setInt(0, PROG_INFO_SIZE);
            int rc = lib.bpf_obj_get_info_by_fd(lib.bpf_program__fd(prog), info, len);
            if (rc != 0) {
                throw new LibBpfException("read info of program " + name(), Native.getLastError());
            }
            return new Stats(info.getLong(INFO_RUN_TIME_NS), info.getLong(INFO_RUN_CNT),
                    info.getLong(INFO_RECURSION_MISSES), info.getInt(INFO_VERIFIED_INSNS));
        }
    }

    /**
     * @param recursionMisses runs the kernel skipped because the program was already running on that CPU
     */
    public record Stats(long runTimeNs, long runCount, long recursionMisses, int verifiedInstructions) {}
}
