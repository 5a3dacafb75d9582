-- failproof store, version 5: the test schedule and document control.
--
-- Registered tunnels, the change records that make a re-test due, and the
-- life of each procedure revision (draft -> approved -> superseded).
-- Each row is also a record file and a commit in the evidence repository;
-- the caller commits the record first and inserts the row afterwards.
-- Tunnel and change rows are append-only.

CREATE TABLE tunnel (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	units TEXT NOT NULL,		-- the HA pair, "fwa,fwb"
	peer TEXT NOT NULL,
	vendor TEXT NOT NULL,
	ike_version INTEGER NOT NULL CHECK (ike_version IN (1, 2)),
	added_at INTEGER NOT NULL,	-- UTC microseconds
	added_by TEXT,
	record_path TEXT NOT NULL,
	commit_id TEXT NOT NULL
);

-- A change to a tunnel's configuration or platform; a change after the
-- last passing run of a scenario makes a re-test of it due.
CREATE TABLE change_record (
	id INTEGER PRIMARY KEY,
	tunnel TEXT NOT NULL REFERENCES tunnel(name),
	kind TEXT NOT NULL
		CHECK (kind IN ('crypto', 'timer', 'software', 'topology')),
	changed_at INTEGER NOT NULL,	-- when the change was made
	changed_by TEXT NOT NULL,
	ref TEXT NOT NULL,		-- the change ticket or a short text
	recorded_at INTEGER NOT NULL,
	record_path TEXT NOT NULL,
	commit_id TEXT NOT NULL
);
CREATE INDEX change_by_tunnel ON change_record(tunnel, changed_at);

-- Document control of a procedure row.  A procedure row without one is
-- a draft: it was recorded (by 'init' or 'procedure revise') and never
-- approved.  Approving a revision supersedes the approved one before it;
-- approving the approved revision again records its periodic review.
CREATE TABLE procedure_control (
	procedure INTEGER PRIMARY KEY REFERENCES procedure(id),
	status TEXT NOT NULL
		CHECK (status IN ('draft', 'approved', 'superseded')),
	author TEXT,
	summary TEXT,
	revised_at INTEGER,		-- when the revision was recorded
	approved_by TEXT,
	approved_at INTEGER,		-- the first approval
	reviewed_by TEXT,		-- the latest periodic review
	reviewed_at INTEGER,
	superseded_at INTEGER,
	commit_id TEXT
);
