/**
 * Kernel text symbols from {@code /proc/kallsyms}: address to {@code name+0x1f} for stacks, callers and drop
 * locations, and name to addresses for the kprobe.multi backend.
 */
package io.skbtrail.agent.ksym;
