/**
 * A pure-Java reader for the kernel's BTF type information ({@code /sys/kernel/btf/vmlinux} and split module BTF):
 * drop reason names, tracepoint signatures and the kernel functions that take an skb, for the probe backends.
 */
package io.skbtrail.agent.btf;
