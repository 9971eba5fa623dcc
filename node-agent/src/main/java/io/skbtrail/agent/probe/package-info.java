/**
 * Probe backends: which kernel hooks the programs attach to, how the filter is put into them, and
 * the settings and counters they share with the agent. One sub-package per backend.
 */
package io.skbtrail.agent.probe;
