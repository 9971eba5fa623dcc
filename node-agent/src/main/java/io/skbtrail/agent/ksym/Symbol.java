package io.skbtrail.agent.ksym;

/**
 * A kernel text symbol.
 *
 * @param name symbol name, e.g. {@code nf_hook_slow} or {@code ip_rcv_core.isra.0}
 * @param address start address
 * @param module module the symbol belongs to ({@code nf_conntrack}, {@code bpf} for BPF programs), or null for
 *     vmlinux
 */
public record Symbol(String name, long address, String module) {

    /** Distance of {@code addr} from this symbol's start; kallsyms has no sizes, so this is not bounded. */
    public long offset(long addr) {
        return addr - address;
    }

    /** {@code name+0x1f}, {@code name} at offset 0, followed by {@code  [module]} for module symbols. */
    public String describe(long addr) {
        long off = offset(addr);
        String at = off == 0 ? name : name + "+0x" + Long.toHexString(off);
        return module == null ? at : at + " [" + module + "]";
    }
}
