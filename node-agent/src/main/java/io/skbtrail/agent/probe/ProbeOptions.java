package io.skbtrail.agent.probe;

import io.skbtrail.filter.CompiledFilter;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Everything a backend needs to arm, beside the kernel facts.
 *
 * @param kernelBtf --kernel-btf, or null for the kernel's own
 * @param filterFunc --filter-func, or null
 * @param followClones follow clones and copies of tracked skbs (needs BPF trampolines)
 * @param bpfPrograms tc / XDP programs to trace (needs BPF trampolines)
 */
public record ProbeOptions(CompiledFilter pcap, FilterSpec filter, CaptureSpec capture, Path kernelBtf,
        Pattern filterFunc, boolean followClones, BpfProgramTracer.Targets bpfPrograms) {}
