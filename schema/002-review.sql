-- failproof store, version 2: the review workflow.
--
-- Design defects get an owner, a due date and their evidence, and move
-- open -> fixed (the owner's claim) -> verified (a later run of the same
-- tunnel and scenario passed; closed_by_run names it).  Nothing but a
-- passing run sets 'verified'.
--
-- Reviews, attestations and waivers are append-only: each row is also a
-- record file and a commit in the evidence repository, authored by the
-- person who acted.  A later row supersedes an earlier one; none is
-- updated or deleted.

-- SQLite cannot change a CHECK constraint in place, so the defect table
-- is rebuilt.  No other table refers to it yet.
CREATE TABLE defect_v2 (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	tunnel TEXT NOT NULL,
	scenario INTEGER NOT NULL,
	verdict TEXT NOT NULL,
	cause TEXT,
	status TEXT NOT NULL
		CHECK (status IN ('open', 'fixed', 'verified')),
	opened_at INTEGER NOT NULL,
	owner TEXT,
	due_at INTEGER,			-- UTC microseconds
	evidence TEXT,			-- JSON: evaluation, failed criteria, refs
	fixed_at INTEGER,
	fixed_by TEXT,
	closed_at INTEGER,		-- when it was verified
	closed_by_run INTEGER REFERENCES run(id),
	UNIQUE (run)
);
INSERT INTO defect_v2 (id, run, tunnel, scenario, verdict, cause, status,
	opened_at, closed_at, closed_by_run)
	SELECT id, run, tunnel, scenario, verdict, cause,
	    CASE status WHEN 'closed' THEN 'verified' ELSE status END,
	    opened_at, closed_at, closed_by_run FROM defect;
DROP TABLE defect;
ALTER TABLE defect_v2 RENAME TO defect;

-- Who signed an issued report, for the separation of duties: a reviewer
-- whose certificate has the subject or the public key of a report signer
-- of the run's executor is that executor.
ALTER TABLE report ADD COLUMN signer_name TEXT;
ALTER TABLE report ADD COLUMN signer_subject TEXT;
ALTER TABLE report ADD COLUMN signer_spki_sha256 TEXT;

-- A reviewer's sign-off of one issued report.
CREATE TABLE review (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	report INTEGER NOT NULL REFERENCES report(id),
	evaluation INTEGER NOT NULL REFERENCES evaluation(id),
	reviewer TEXT NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
	comment TEXT NOT NULL,
	reviewed_at INTEGER NOT NULL,
	report_pdf_sha256 TEXT,		-- the issued files the review covers
	report_xml_sha256 TEXT,
	signed_pdf_sha256 TEXT,		-- the files with the reviewer's signature
	signed_xml_sha256 TEXT,
	cert_subject TEXT NOT NULL,
	cert_spki_sha256 TEXT NOT NULL,
	record_path TEXT NOT NULL,
	record_sha256 TEXT NOT NULL,
	commit_id TEXT NOT NULL,
	tag TEXT NOT NULL
);
CREATE INDEX review_by_run ON review(run, id);

-- A statement by a named person that a precondition held, used where the
-- evidence cannot decide it.
CREATE TABLE attestation (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	precondition TEXT NOT NULL,
	attested_by TEXT NOT NULL,
	note TEXT NOT NULL,
	attested_at INTEGER NOT NULL,
	record_path TEXT NOT NULL,
	record_sha256 TEXT NOT NULL,
	commit_id TEXT NOT NULL
);
CREATE INDEX attestation_by_run ON attestation(run, id);

-- An accepted risk on one criterion of a run or on one defect, until it
-- expires.  An expired waiver leaves the item not reviewed.
CREATE TABLE waiver (
	id INTEGER PRIMARY KEY,
	run INTEGER REFERENCES run(id),
	criterion TEXT,
	defect INTEGER REFERENCES defect(id),
	justification TEXT NOT NULL,
	approver TEXT NOT NULL,
	expires_at INTEGER NOT NULL,	-- UTC microseconds
	created_at INTEGER NOT NULL,
	record_path TEXT NOT NULL,
	record_sha256 TEXT NOT NULL,
	commit_id TEXT NOT NULL,
	CHECK ((run IS NOT NULL AND criterion IS NOT NULL AND defect IS NULL)
	    OR (run IS NULL AND criterion IS NULL AND defect IS NOT NULL))
);

-- Record files of defect changes (owner, due date, fixed), one a commit.
CREATE TABLE defect_change (
	id INTEGER PRIMARY KEY,
	defect INTEGER NOT NULL REFERENCES defect(id),
	actor TEXT NOT NULL,
	change TEXT NOT NULL,		-- "owner=Ana", "due=2027-03-04", ...
	changed_at INTEGER NOT NULL,
	record_path TEXT NOT NULL,
	record_sha256 TEXT NOT NULL,
	commit_id TEXT NOT NULL
);
