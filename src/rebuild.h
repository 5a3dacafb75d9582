/*
 * Internals of the store rebuild (rebuild.c, rebuild_review.c): the state
 * of the replay of the repository's history, and the helpers that read a
 * record of the commit being replayed.
 */
#ifndef FP_REBUILD_H
#define FP_REBUILD_H

#include <jansson.h>

#include "workspace.h"

struct rebuild {
	struct workspace *ws;
	struct rebuild_stats *st;
	const struct evrepo_commit *commit;	/* the commit being replayed */
	char head[41];		/* the last commit of main */
	fp_time clock;		/* the latest instant replayed */
};

/*
 * Pin fp_now() for the record being replayed and return the instant: the
 * time the record states, else the commit's time, moved past every
 * instant replayed before so that the replay keeps the records' order.
 */
fp_time rebuild_clock(struct rebuild *rb, fp_time stated);

/* Read the file rel of the commit being replayed (NUL-terminated). */
int rebuild_read(struct rebuild *rb, const char *rel, char **text,
    size_t *len);
/* Read and parse the JSON record rel of the commit being replayed;
 * sha256 receives the SHA-256 of the file. */
int rebuild_read_json(struct rebuild *rb, const char *rel, json_t **out,
    char sha256[65]);
/* A time member of a record ("2026-12-04T19:49:25.750Z"), or
 * FP_TIME_NONE when it is missing or null. */
fp_time rebuild_json_time(const json_t *o, const char *key);
/* The value of "key: value" in a text record, newly allocated; NULL when
 * the line is missing or the value is "-". */
char *rebuild_field(const char *text, const char *key);
/* A time field of a text record, or FP_TIME_NONE. */
fp_time rebuild_field_time(const char *text, const char *key);

/*
 * Replay the schedule's and the procedure's records (rebuild_schedule.c):
 * procedure/procedure.xml, a revision procedure/revisions/REV.xml with
 * its REV.json, an approval procedure/approvals/REV-TIME.txt, a tunnel
 * tunnels/NAME.txt and a change record changes/TUNNEL/TIME-KIND.txt.
 */
int rebuild_procedure(struct rebuild *rb, const char *path);
int rebuild_revision(struct rebuild *rb, const char *path);
int rebuild_approval(struct rebuild *rb, const char *path);
int rebuild_tunnel(struct rebuild *rb, const char *path);
int rebuild_change(struct rebuild *rb, const char *path);

/*
 * Replay the review workflow's records of run (rebuild_review.c); rest
 * is the path inside the run's folder.  The record kind is known by its
 * folder: reports/, reviews/, attestations/, waivers/, defects/.
 */
int rebuild_report(struct rebuild *rb, long run, const char *rest);
int rebuild_review(struct rebuild *rb, long run, const char *path);
int rebuild_attestation(struct rebuild *rb, long run, const char *path);
int rebuild_waiver(struct rebuild *rb, long run, const char *path);
int rebuild_defect_change(struct rebuild *rb, long run, const char *path);

#endif
