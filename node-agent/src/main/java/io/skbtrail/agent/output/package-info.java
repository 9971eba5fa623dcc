/**
 * Printing events: the pwru-style table and NDJSON printers, fed with contract records and writing
 * whole lines to a sink (stdout or a size-rotated file).
 */
package io.skbtrail.agent.output;
