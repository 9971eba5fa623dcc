package io.skbtrail.agent.btf;

/**
 * A kernel function that takes an skb, a candidate for the kprobe backends.
 *
 * @param name function name as in BTF (and normally in kallsyms)
 * @param skbParamPosition 1-based position of the first {@code struct sk_buff *} parameter, 1..5 (the argument
 *     registers a kprobe can read: {@code PT_REGS_PARM1}..{@code PARM5})
 * @param module kernel module whose BTF declares the function, or null for vmlinux
 */
public record SkbFunction(String name, int skbParamPosition, String module) {
}
