/**
 * The {@code skbtrail-agent} command line: {@code trace} (pwru-style tracing on this host) and
 * {@code probe} (what this kernel supports). Turns flags into specs and wires the parts together.
 */
package io.skbtrail.agent.cli;
