#!/bin/sh
# Generate evaluated runs in a workspace from the runs already in it, for
# the quarterly benchmark and tests.  Each new run copies a seed run (the
# drills imported and evaluated through the CLI): its evidence rows point
# at the same archived files and commits, its evaluation is the seed's
# with the run, the tunnel and the failover instant shifted, and a failed
# run opens a defect.  Events, samples and packets are not copied, since
# the quarterly report and the exports read only evaluations.  The MTTR
# of a recovered run gets a deterministic jitter of 0 to 399 ms.
#
# usage: gen-runs.sh WORKSPACE COUNT TUNNELS FROM TO
#   COUNT runs spread evenly over [FROM, TO) (ISO 8601 UTC), on TUNNELS
#   tunnels named gen-000, gen-001, ...; the tunnels are registered
#   with 'failproof tunnel add' (FAILPROOF names the binary).
set -eu
ws=$1
count=$2
tunnels=$3
from=$4
to=$5
db=$ws/.failproof/store.db
fp=${FAILPROOF:-failproof}

i=0
while [ "$i" -lt "$tunnels" ]; do
	name=$(printf 'gen-%03d' "$i")
	"$fp" -q -C "$ws" tunnel add "$name" --units "$name-a,$name-b" \
	    --peer "$name-peer" --vendor strongswan --ike 2 2>/dev/null ||
	    true
	i=$((i + 1))
done

sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE params AS SELECT
	$count AS n, $tunnels AS tunnels,
	CAST((julianday('$from') - 2440587.5) * 86400000000 AS INTEGER) AS t0,
	CAST((julianday('$to') - julianday('$from')) * 86400000000 / $count
	    AS INTEGER) AS step,
	(SELECT count(*) FROM run r JOIN evaluation e ON e.run = r.id) AS seeds,
	(SELECT coalesce(max(id), 0) FROM run) AS base;
CREATE TEMP TABLE seed AS SELECT row_number() OVER (ORDER BY r.id) - 1 AS k,
	r.id AS run, e.id AS evaluation FROM run r
	JOIN evaluation e ON e.id = (SELECT max(id) FROM evaluation
	    WHERE run = r.id);
CREATE TEMP TABLE plan AS
	WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq
	    WHERE i + 1 < (SELECT n FROM params))
	SELECT i, (SELECT base FROM params) + i + 1 AS id,
	    (SELECT run FROM seed WHERE k = (i + i / (SELECT tunnels FROM
	    params)) % (SELECT seeds FROM params))
	    AS seed_run,
	    (SELECT evaluation FROM seed WHERE k = (i + i / (SELECT tunnels
	    FROM params)) % (SELECT seeds FROM params)) AS seed_eval,
	    printf('gen-%03d', i % (SELECT tunnels FROM params)) AS tunnel,
	    (SELECT t0 FROM params) + i * (SELECT step FROM params) AS at
	FROM seq;

INSERT INTO run (id, procedure, tunnel, scenario, method, executed_by,
	primary_host, standby_host, peer_host, failover_at, max_outage_ms,
	created_at, changed_at)
	SELECT p.id, r.procedure, p.tunnel, r.scenario, r.method,
	    r.executed_by, r.primary_host, r.standby_host, r.peer_host, p.at,
	    r.max_outage_ms, p.at, p.at
	FROM plan p JOIN run r ON r.id = p.seed_run;

INSERT INTO evidence (run, name, kind, host, sha256, size, repo_path,
	commit_id, imported_at, records, partial)
	SELECT p.id, e.name, e.kind, e.host, e.sha256, e.size, e.repo_path,
	    e.commit_id, p.at + 3600000000, e.records, e.partial
	FROM plan p JOIN evidence e ON e.run = p.seed_run;

INSERT INTO evaluation (run, evaluated_at, verdict, cause, outcome, mttr_ms,
	loss_window_ms, result_json, evidence_commit)
	SELECT p.id, p.at + 7200000000, e.verdict, e.cause, e.outcome,
	    CASE WHEN e.mttr_ms IS NULL THEN NULL
	        ELSE e.mttr_ms + (p.i * 37) % 400 END,
	    e.loss_window_ms,
	    json_set(e.result_json, '$.run', p.id, '$.tunnel', p.tunnel,
	        '$.failover_at', strftime('%Y-%m-%dT%H:%M:%fZ', p.at / 1e6,
	        'unixepoch'),
	        '$.mttr_ms', CASE WHEN e.mttr_ms IS NULL THEN NULL
	        ELSE e.mttr_ms + (p.i * 37) % 400 END),
	    e.evidence_commit
	FROM plan p JOIN evaluation e ON e.id = p.seed_eval;

INSERT INTO defect (run, tunnel, scenario, verdict, cause, status,
	opened_at)
	SELECT p.id, p.tunnel, r.scenario, e.verdict, e.cause, 'open',
	    p.at + 7200000000
	FROM plan p JOIN run r ON r.id = p.seed_run
	JOIN evaluation e ON e.id = p.seed_eval
	WHERE e.outcome = 'failed';
COMMIT;
SQL
