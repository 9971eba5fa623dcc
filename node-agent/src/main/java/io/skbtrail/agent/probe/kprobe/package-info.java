/**
 * The kprobe and kprobe.multi backends: every kernel function with a {@code struct sk_buff *} among its
 * first five arguments (from BTF, intersected with tracefs' available_filter_functions), one program per
 * argument position. Needs CONFIG_KPROBES; kprobe.multi needs Linux 5.18+ with CONFIG_FPROBE.
 */
package io.skbtrail.agent.probe.kprobe;
