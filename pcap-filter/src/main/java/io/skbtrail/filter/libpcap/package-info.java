/**
 * Binding to the system libpcap through JNA: compiles expressions to classic BPF and runs libpcap's own cBPF
 * interpreter. The only package that touches native code; it knows nothing about eBPF.
 */
package io.skbtrail.filter.libpcap;
