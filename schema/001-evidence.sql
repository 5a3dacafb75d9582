-- failproof store, version 1.
--
-- The SQLite database is the query index of a workspace; the git
-- repository beside it holds the archived evidence, the run records and
-- the reports.  Rows never refer to evidence the repository lacks: an
-- import commits the archived file to git first and records it here in
-- the same SQLite transaction that holds its events, samples and packets.
-- Evidence rows and their records are append-only; a re-import of the
-- same bytes for the same run is a no-op.

CREATE TABLE procedure (
	id INTEGER PRIMARY KEY,
	procedure_id TEXT NOT NULL,
	revision TEXT NOT NULL,
	title TEXT NOT NULL,
	change_category TEXT NOT NULL,
	review_cycle TEXT NOT NULL,
	max_outage_ms INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	definition TEXT NOT NULL,
	loaded_at INTEGER NOT NULL,
	UNIQUE (procedure_id, revision, sha256)
);

CREATE TABLE run (
	id INTEGER PRIMARY KEY,
	procedure INTEGER NOT NULL REFERENCES procedure(id),
	tunnel TEXT NOT NULL,
	scenario INTEGER NOT NULL CHECK (scenario IN (1, 2, 3)),
	method TEXT NOT NULL
		CHECK (method IN ('process-kill', 'power', 'link-down', 'graceful')),
	executed_by TEXT NOT NULL,
	primary_host TEXT,
	standby_host TEXT,
	peer_host TEXT,
	failover_at INTEGER,		-- UTC microseconds, NULL when inferred
	max_outage_ms INTEGER,		-- NULL: the procedure's default
	created_at INTEGER NOT NULL,
	changed_at INTEGER NOT NULL
);

CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	name TEXT NOT NULL,		-- file name as given
	kind TEXT NOT NULL,		-- importer kind
	host TEXT,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	repo_path TEXT NOT NULL,	-- path inside the git repository
	commit_id TEXT NOT NULL,	-- commit that archived it
	imported_at INTEGER NOT NULL,
	records INTEGER NOT NULL,
	partial TEXT,			-- why the import is partial, or NULL
	UNIQUE (run, sha256)
);

CREATE TABLE event (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	line INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	host TEXT,
	kind TEXT NOT NULL,
	direction TEXT,
	conn TEXT,
	local_addr TEXT,
	peer_addr TEXT,
	local_id TEXT,
	peer_id TEXT,
	ike_spi_i TEXT,
	ike_spi_r TEXT,
	spi_in TEXT,
	spi_out TEXT,
	exchange TEXT,
	is_response INTEGER,
	msgid INTEGER,
	notify TEXT,
	detail TEXT,
	message TEXT
);
CREATE INDEX event_by_evidence ON event(evidence, ts);

CREATE TABLE sample (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	line INTEGER NOT NULL,
	source TEXT NOT NULL,
	src TEXT,
	dst TEXT,
	both_directions INTEGER NOT NULL,
	t_start INTEGER NOT NULL,
	t_end INTEGER NOT NULL,
	offered INTEGER,
	delivered INTEGER,
	lost INTEGER,
	bytes INTEGER,
	resolution INTEGER,
	note TEXT
);
CREATE INDEX sample_by_evidence ON sample(evidence, t_start);

CREATE TABLE packet (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	number INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	wire_len INTEGER NOT NULL,
	interface INTEGER NOT NULL,
	src_mac TEXT,
	dst_mac TEXT,
	src TEXT,
	dst TEXT,
	sport INTEGER,
	dport INTEGER,
	proto TEXT NOT NULL,
	udp_encap INTEGER,
	spi INTEGER,
	seq INTEGER,
	ike_spi_i TEXT,
	ike_spi_r TEXT,
	ike_version INTEGER,
	exchange INTEGER,
	is_response INTEGER,
	is_initiator INTEGER,
	msgid INTEGER,
	notify TEXT,
	icmp_type INTEGER,
	icmp_id INTEGER,
	icmp_seq INTEGER
);
CREATE INDEX packet_by_evidence ON packet(evidence, ts);

-- One row per evaluation; the latest for a run is the current one.
CREATE TABLE evaluation (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	evaluated_at INTEGER NOT NULL,
	verdict TEXT NOT NULL,
	cause TEXT,
	outcome TEXT NOT NULL,
	mttr_ms INTEGER,
	loss_window_ms INTEGER,
	result_json TEXT NOT NULL,
	evidence_commit TEXT NOT NULL,
	commit_id TEXT
);

-- A failed run's finding; open until a later run of the same tunnel and
-- scenario passes.
CREATE TABLE defect (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	tunnel TEXT NOT NULL,
	scenario INTEGER NOT NULL,
	verdict TEXT NOT NULL,
	cause TEXT,
	status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	opened_at INTEGER NOT NULL,
	closed_at INTEGER,
	closed_by_run INTEGER REFERENCES run(id),
	UNIQUE (run)
);

CREATE TABLE report (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	evaluation INTEGER NOT NULL REFERENCES evaluation(id),
	xml_sha256 TEXT,
	pdf_sha256 TEXT,
	evidence_commit TEXT NOT NULL,
	commit_id TEXT NOT NULL,
	tag TEXT NOT NULL,
	issued_at INTEGER NOT NULL
);
