-- skbtrail schema, version 1.
--
-- Control data (users, tokens, hosts, sessions, share links) is small and written through JPA.
-- Events are the bulk: written with COPY only, into one partition per trace session, so a session is
-- deleted by dropping its partition (no vacuum debt) and every query, always scoped to one session,
-- reads one partition. Per-session counters are kept at ingest so summaries never scan events.

create table users (
    id            bigserial primary key,
    username      text not null unique,
    password_hash text not null,
    role          text not null check (role in ('viewer', 'operator', 'admin')),
    enabled       boolean not null default true,
    created_at    timestamptz not null default now()
);

-- Agent tokens are 256-bit random secrets; only their SHA-256 is stored.
create table agent_tokens (
    id           bigserial primary key,
    token_hash   text not null unique,
    scope        text not null check (scope in ('host', 'fleet')),
    host_name    text,                  -- scope 'host': the one host name the token may register
    description  text,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    check ((scope = 'host') = (host_name is not null))
);

create table hosts (
    id                   bigserial primary key,
    name                 text not null unique,
    labels               jsonb not null default '{}',
    kernel               text,
    arch                 text,
    agent_version        text,
    backend              text,
    backends             jsonb not null default '[]',
    max_sessions         integer not null default 1,
    boot_id              text,
    -- The agent process of the last hello, and the last event batch of it that is stored: a batch and
    -- this number are written in one transaction, so a batch resent after a reconnect is recognised.
    incarnation          text,
    acked_seq            bigint not null default 0,
    token_id             bigint references agent_tokens (id) on delete set null,
    connected            boolean not null default false,
    first_seen           timestamptz not null default now(),
    last_seen            timestamptz,
    -- agent clock minus server clock, and half the round trip of the best ping: |error| <= uncertainty
    clock_offset_ns      bigint,
    clock_uncertainty_ns bigint
);

create table sessions (
    id                  bigserial primary key,
    filter              text not null default '',
    options             jsonb not null default '{}',
    selected_hosts      jsonb not null default '[]',
    selected_labels     jsonb not null default '{}',
    duration_seconds    integer,
    max_events_per_host bigint,
    state               text not null check (state in ('pending', 'running', 'stopping', 'stopped', 'failed')),
    state_reason        text,
    created_by          text not null,
    created_at          timestamptz not null default now(),
    started_at          timestamptz,
    deadline            timestamptz,
    ended_at            timestamptz,
    event_count         bigint not null default 0
);

create index sessions_state on sessions (state) where state in ('pending', 'running', 'stopping');

create table session_hosts (
    session_id   bigint not null references sessions (id) on delete cascade,
    host_id      bigint not null references hosts (id) on delete cascade,
    state        text not null check (state in ('offline', 'arming', 'armed', 'tracing', 'failed', 'done')),
    reason       text,
    backend      text,
    probes       integer,
    incarnation  text,
    armed_at     timestamptz,
    done_at      timestamptz,
    end_reason   text,
    events       bigint not null default 0,
    drops        bigint not null default 0,
    first_event  timestamptz,
    last_event   timestamptz,
    matched      bigint not null default 0,
    lost         jsonb not null default '{}',   -- hop -> total, from loss records and heartbeats
    summary      jsonb,                         -- the agent's summary record at the end
    primary key (session_id, host_id)
);

create table session_drop_counts (
    session_id bigint not null references sessions (id) on delete cascade,
    host_id    bigint not null references hosts (id) on delete cascade,
    reason     text not null,
    count      bigint not null,
    primary key (session_id, host_id, reason)
);

-- A time a selected host did not trace while the session ran: the agent was offline or restarted.
create table session_gaps (
    id         bigserial primary key,
    session_id bigint not null references sessions (id) on delete cascade,
    host_id    bigint not null references hosts (id) on delete cascade,
    gap_from   timestamptz not null,
    gap_to     timestamptz,
    reason     text not null
);

create index session_gaps_session on session_gaps (session_id, host_id);

create table share_links (
    id         bigserial primary key,
    token_hash text not null unique,
    session_id bigint not null references sessions (id) on delete cascade,
    created_by text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz
);

create table audit_log (
    id     bigserial primary key,
    at     timestamptz not null default now(),
    actor  text not null,
    action text not null,
    target text,
    detail text
);

create table retention_settings (
    id              integer primary key check (id = 1),
    max_age_days    integer,
    max_total_bytes bigint
);

insert into retention_settings (id, max_age_days, max_total_bytes) values (1, 30, null);

create sequence event_ids cache 1000;

-- One partition per session: events_s<session id>, created when the session is created.
create table events (
    session_id  bigint not null,
    id          bigint not null default nextval('event_ids'),
    host_id     bigint not null,
    time_ns     bigint not null,          -- agent wall clock, ns since the epoch
    ktime_ns    bigint not null,
    boot_id     uuid not null,
    seq         bigint not null,          -- the agent's event number in this session on this host
    cpu         integer not null,
    process     text not null,
    pid         integer not null,
    skb         bigint not null,
    packet_id   bigint not null,
    probe_type  smallint not null,
    func        text not null,
    location    text,
    drop_reason text,
    netns       bigint not null,
    mark        bigint not null,
    ifindex     integer not null,
    iface       text,
    proto       integer not null,
    mtu         integer not null,
    len         integer not null,
    saddr       inet,
    daddr       inet,
    sport       integer,
    dport       integer,
    l4_proto    text,
    tcp_flags   text,
    icmp_type   smallint,
    icmp_code   smallint,
    icmp_id     integer,
    icmp_seq    integer,
    stack       text[],
    skb_dump    text,
    packet      bytea,
    caller      text
) partition by list (session_id);

-- Indexes shaped for the API's queries, all within one session's partition. Paging is keyset on
-- (time_ns, id); each filter has an index that yields rows in that order.
create index events_time on events (time_ns, id);
create index events_host_time on events (host_id, time_ns, id);
create index events_packet on events (host_id, packet_id);
create index events_drop on events (drop_reason, time_ns, id) where drop_reason is not null;
create index events_func on events (func, time_ns, id);
create index events_daddr on events (daddr, dport);
