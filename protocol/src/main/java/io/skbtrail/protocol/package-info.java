/**
 * The event contract (v1) shared by the node agent, the server and the dashboard, and the records
 * that travel between them. No dependencies: plain records and a hand-written JSON codec.
 */
package io.skbtrail.protocol;
