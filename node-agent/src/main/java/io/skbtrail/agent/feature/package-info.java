/**
 * What this host can do, probed once: privileges, kernel BTF, libbpf version, tracefs, and which probe
 * backends the kernel allows. Each check gives "available" or the reason and what to do about it.
 */
package io.skbtrail.agent.feature;
