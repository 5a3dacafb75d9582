-- failproof store, version 4: the vendor of each event, and clock
-- offsets per run and host.
--
-- vendor is the name of the rule section that made the event
-- ("strongswan", "cisco-asa"); rows stored before this version have none.
-- A clock offset is added to every time stamp of the host's syslog
-- evidence imported into the run after it was set, so the stored event
-- times already include it.
-- NOTE: the reports do not show the offsets yet; an auditor finds them
-- only in this table.

ALTER TABLE event ADD COLUMN vendor TEXT;
CREATE INDEX event_by_kind ON event(evidence, kind);

CREATE TABLE clock_offset (
	id INTEGER PRIMARY KEY,
	run INTEGER NOT NULL REFERENCES run(id),
	host TEXT NOT NULL,
	offset_us INTEGER NOT NULL,	-- added to the host's time stamps
	set_at INTEGER NOT NULL,
	UNIQUE (run, host)
);
