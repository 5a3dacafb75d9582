-- failproof store, version 4: the vendor of each event, and clock
-- offsets per run and host.
--
-- vendor is the name of the rule section that made the event
-- ("strongswan", "cisco-asa"); rows stored before this version have none.
-- A clock offset is added to every time stamp of the host's evidence
-- imported into the run after it was set; the stored event times already
-- include it, and the report shows it next to each figure.

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
