-- failproof store, version 3: the steps of test framework runs (JUnit
-- XML, Robot Framework output.xml) and chaos experiments (Chaos Toolkit
-- journals).
--
-- A step belongs to one evidence file and, like the other records, is
-- only ever added, in the transaction of its file's import.  A failure is
-- an assertion about the system that did not hold; an error is a step
-- the harness could not carry out.  The evaluation judges both by when
-- they happened relative to the failure.

CREATE TABLE step (
	id INTEGER PRIMARY KEY,
	evidence INTEGER NOT NULL REFERENCES evidence(id),
	line INTEGER NOT NULL,		-- line of the step in its file
	name TEXT NOT NULL,
	suite TEXT,			-- suite path, outermost first
	kind TEXT NOT NULL,		-- test, keyword, setup, probe, ...
	status TEXT NOT NULL
		CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
	start INTEGER,			-- UTC microseconds, NULL when unknown
	"end" INTEGER,			-- UTC microseconds, NULL when unknown
	duration INTEGER,		-- microseconds, NULL when unknown
	start_derived INTEGER NOT NULL DEFAULT 0,	-- 1: from the suite's start
	zone TEXT,			-- zone applied to times without one
	message TEXT,
	output TEXT,			-- failure text, captured output
	detail TEXT			-- JSON object: class name, properties
);
CREATE INDEX step_by_evidence ON step(evidence, start);
