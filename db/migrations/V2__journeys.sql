-- skbtrail schema, version 2: packet fingerprints and what the server derives from them to join one packet's
-- sightings on several hosts into a journey (README, "Journeys").
--
-- Ingest stays one COPY: the new columns are filled in the same row, nothing is looked up. No index is added
-- on events: the join reads a session's partition once, sequentially, and keeps its result in the server's
-- memory; one journey's events are read back through the existing (host_id, packet_id) index.

alter table events
    -- The agent's "fp" object (null when the event has no parsable IP header).
    add column fp_ip_id          integer,   -- IPv4 identification; null for IPv6
    add column fp_tcp_seq        bigint,    -- unsigned 32-bit
    add column fp_tcp_ack        bigint,    -- unsigned 32-bit
    add column fp_payload_len    integer,   -- L4 payload length from the IP header (a GSO super-packet's whole payload)
    add column fp_payload_hash   bigint,    -- 64-bit FNV-1a of the first fp_payload_hashed payload bytes
    add column fp_payload_hashed smallint,  -- 0..32
    -- The agent's "encap" (VXLAN: the inner packet) and "ct" (conntrack's tuples when NAT changed the
    -- packet) objects, as the agent sent them; rare, so kept whole.
    add column encap             text,
    add column ct                text,
    -- Derived at ingest (server/…/journeys/JoinKeys): 64-bit hashes of what identifies the packet.
    -- join_key: the matched packet's tuple (the inner one for VXLAN), IPv4 ID, TCP seq and ack, ICMP id
    --   and seq; equal on every host that saw the packet unchanged.
    -- alt_key: the same with the packet's other NAT form from conntrack (the original tuple as its sender
    --   sent it, or the translated one), so the hosts on either side of a NAT join.
    -- flow_key: the matched tuple alone, to find the wire segments of a GSO/GRO super-packet by sequence range.
    add column join_key          bigint,
    add column alt_key           bigint,
    add column flow_key          bigint;

-- Each host's clock (agent wall clock minus the server's) while it traced the session: the estimate with the
-- smallest uncertainty seen, so a finished session keeps the offsets its events were taken with.
alter table session_hosts
    add column clock_offset_ns      bigint,
    add column clock_uncertainty_ns bigint;
