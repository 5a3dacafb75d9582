-- failproof store, version 6: traffic from captures and device counters.
--
-- A capture's ESP, ICMP echo, UDP and TCP packets are not stored one row
-- each: the import aggregates them into flows (one direction of one SPI,
-- echo id or port pair), with per link-layer path the segments of
-- activity between silences and the ESP sequence-number events.  The
-- rows stay bounded as a capture grows; IKE packets keep their own rows
-- in the packet table.  Counters are the SA and error counters read from
-- a device at one moment.  Like every record, these rows are written in
-- the transaction of their file's import and only ever added.

CREATE TABLE flow (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	kind TEXT NOT NULL CHECK (kind IN ('esp', 'icmp', 'udp', 'tcp')),
	src TEXT NOT NULL,
	dst TEXT NOT NULL,
	spi INTEGER,			-- esp
	sport INTEGER,			-- udp, tcp
	dport INTEGER,
	icmp_type INTEGER,		-- icmp: echo request or reply type
	icmp_id INTEGER,
	udp_encap INTEGER NOT NULL,	-- 1: ESP in UDP 4500
	packets INTEGER NOT NULL,
	bytes INTEGER NOT NULL,		-- on the wire
	first_ts INTEGER NOT NULL,	-- UTC microseconds
	last_ts INTEGER NOT NULL,
	first_packet INTEGER NOT NULL,	-- packet numbers in the file
	last_packet INTEGER NOT NULL,
	spacing INTEGER NOT NULL,	-- mean interval under 1 s, microseconds
	ttl_min INTEGER NOT NULL,	-- 0: unknown
	ttl_max INTEGER NOT NULL,
	seq_first INTEGER,		-- esp sequence numbers
	seq_last INTEGER,
	seq_min INTEGER,
	seq_max INTEGER,
	seq_gaps INTEGER,
	seq_missing INTEGER,
	seq_repeats INTEGER,
	seq_late INTEGER,
	seq_restarts INTEGER,
	echo_pairs INTEGER,		-- icmp replies whose request was captured
	anomalies_dropped INTEGER NOT NULL
);
CREATE INDEX flow_by_evidence ON flow(evidence);

CREATE TABLE flow_path (
	id INTEGER PRIMARY KEY,
	flow INTEGER NOT NULL REFERENCES flow(id),
	src_mac TEXT,			-- NULL: no link-layer address
	dst_mac TEXT,
	interface INTEGER NOT NULL,
	sport INTEGER NOT NULL,		-- ESP in UDP: the ports; 0 otherwise
	dport INTEGER NOT NULL,
	packets INTEGER NOT NULL,
	bytes INTEGER NOT NULL,
	gap INTEGER NOT NULL		-- silence that ends a segment, microseconds
);
CREATE INDEX flow_path_by_flow ON flow_path(flow);

CREATE TABLE flow_segment (
	path INTEGER NOT NULL REFERENCES flow_path(id),
	t_start INTEGER NOT NULL,
	t_end INTEGER NOT NULL,
	first_packet INTEGER NOT NULL,
	last_packet INTEGER NOT NULL,
	packets INTEGER NOT NULL,
	bytes INTEGER NOT NULL
);
CREATE INDEX flow_segment_by_path ON flow_segment(path, t_start);

CREATE TABLE flow_anomaly (
	flow INTEGER NOT NULL REFERENCES flow(id),
	kind TEXT NOT NULL CHECK (kind IN ('gap', 'repeat', 'late', 'restart')),
	ts INTEGER NOT NULL,
	packet INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	previous INTEGER NOT NULL,	-- highest sequence number before it
	replay_top INTEGER,		-- restart: highest number ever seen
	accepted_ts INTEGER,		-- restart: first packet above replay_top
	accepted_packet INTEGER,
	below INTEGER			-- restart: packets up to replay_top
);
CREATE INDEX flow_anomaly_by_flow ON flow_anomaly(flow);

CREATE TABLE counter (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	line INTEGER NOT NULL,
	ts INTEGER NOT NULL,		-- when the snapshot was taken
	host TEXT,
	tool TEXT NOT NULL,		-- swanctl, xfrm, xfrm_stat, cisco
	name TEXT NOT NULL,		-- sa, or the error counter's name
	conn TEXT,
	spi TEXT,			-- 8 lower-case hex digits
	direction TEXT CHECK (direction IN ('in', 'out')),
	src TEXT,
	dst TEXT,
	local_ts TEXT,			-- traffic selectors, space-separated
	remote_ts TEXT,
	installed INTEGER,		-- when the SA was installed
	packets INTEGER,		-- NULL: not counted by the tool
	bytes INTEGER,
	value INTEGER			-- error counters
);
CREATE INDEX counter_by_evidence ON counter(evidence, ts);
