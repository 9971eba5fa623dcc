/**
 * The only place that talks to libbpf and libc (through JNA). Raw bindings keep the C names
 * ({@link io.skbtrail.agent.libbpf.LibBpf}); the wrappers ({@link io.skbtrail.agent.libbpf.BpfObject},
 * {@link io.skbtrail.agent.libbpf.BpfMap}, …) use Java verbs, are {@code AutoCloseable} and throw
 * {@link io.skbtrail.agent.libbpf.LibBpfException}. Requires the system libbpf 1.1 or newer.
 */
package io.skbtrail.agent.libbpf;
