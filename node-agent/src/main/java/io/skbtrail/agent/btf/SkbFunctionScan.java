package io.skbtrail.agent.btf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds the FUNCs of one BTF blob that take a {@code struct sk_buff *} among their first five parameters.
 *
 * <p>pahole emits one FUNC per non-inlined function with a usable prototype; in vmlinux it marks them all "static"
 * (linkage 0) whatever their C linkage, so both static and global are accepted. "extern" FUNCs (linkage 2) only
 * appear in BPF object files and are declarations, not kernel code.
 */
final class SkbFunctionScan {
    /** kprobes read arguments from registers; five is what every architecture's PT_REGS_PARM macros offer. */
    static final int MAX_POSITION = 5;
    private static final byte[] SK_BUFF = "sk_buff".getBytes(StandardCharsets.US_ASCII);
    private static final int LINKAGE_EXTERN = 2;

    private final BtfFile btf;
    /** Per parameter type id: 0 not yet known, 1 points to sk_buff, 2 does not. Most params share few ids. */
    private final byte[] memo;

    SkbFunctionScan(BtfFile btf) {
        this.btf = btf;
        this.memo = new byte[btf.nextId()];
    }

    /**
     * Appends the skb functions with ids from {@code from} on to {@code out}; those in the split part of a module's
     * BTF are attributed to {@code module}, those of the base to vmlinux (null).
     */
    void scan(int from, String module, List<SkbFunction> out) {
        for (int id = from; id < btf.nextId(); id++) {
            if (btf.kind(id) != Kind.FUNC || btf.vlen(id) >= LINKAGE_EXTERN) {
                continue;
            }
            int proto = btf.sizeOrType(id);
            if (proto == 0 || btf.kind(proto) != Kind.FUNC_PROTO) {
                continue;
            }
            int n = Math.min(btf.vlen(proto), MAX_POSITION);
            for (int i = 0; i < n; i++) {
                // struct btf_param { name_off; type; }
                if (pointsToSkb(btf.extra(proto, 2 * i + 1))) {
                    out.add(new SkbFunction(btf.name(id), i + 1, id >= btf.firstId ? module : null));
                    break; // the FIRST skb parameter is the one recorded
                }
            }
        }
    }

    /** {@code struct sk_buff *}, through const/volatile/typedef on the pointer and on the struct. */
    boolean pointsToSkb(int type) {
        if (type <= 0 || type >= memo.length) {
            return false;
        }
        if (memo[type] == 0) {
            memo[type] = (byte) (computePointsToSkb(type) ? 1 : 2);
        }
        return memo[type] == 1;
    }

    private boolean computePointsToSkb(int type) {
        int ptr = btf.skipModifiersAndTypedefs(type);
        if (ptr == 0 || btf.kind(ptr) != Kind.PTR) {
            return false;
        }
        int target = btf.skipModifiersAndTypedefs(btf.sizeOrType(ptr));
        return target != 0 && btf.kind(target) == Kind.STRUCT && btf.nameEquals(target, SK_BUFF);
    }
}
