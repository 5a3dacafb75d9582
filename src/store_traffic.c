/*
 * Capture flows and device counters in the store: written in the import's
 * transaction, loaded with the rest of a run's evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static void
bind_mac(sqlite3_stmt *st, int i, const char *mac)
{
	bind_text(st, i, mac);
}

static int
insert_segments(struct store *s, long path, const struct flow_path *pa)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO flow_segment (path, t_start, t_end, "
	    "first_packet, last_packet, packets, bytes) VALUES (?, ?, ?, ?, "
	    "?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < pa->n_segments && rc == 0; i++) {
		const struct flow_segment *g = &pa->segments[i];

		sqlite3_bind_int64(st, 1, path);
		sqlite3_bind_int64(st, 2, g->start);
		sqlite3_bind_int64(st, 3, g->end);
		sqlite3_bind_int64(st, 4, g->first_packet);
		sqlite3_bind_int64(st, 5, g->last_packet);
		sqlite3_bind_int64(st, 6, g->packets);
		sqlite3_bind_int64(st, 7, g->bytes);
		rc = step_done(s, st, "cannot store a flow segment");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
insert_paths(struct store *s, long flow, const struct flow *f)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO flow_path (flow, src_mac, dst_mac, "
	    "interface, sport, dport, packets, bytes, gap) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < f->n_paths && rc == 0; i++) {
		const struct flow_path *pa = &f->paths[i];

		sqlite3_bind_int64(st, 1, flow);
		bind_mac(st, 2, pa->src_mac);
		bind_mac(st, 3, pa->dst_mac);
		sqlite3_bind_int64(st, 4, pa->interface);
		sqlite3_bind_int64(st, 5, pa->sport);
		sqlite3_bind_int64(st, 6, pa->dport);
		sqlite3_bind_int64(st, 7, pa->packets);
		sqlite3_bind_int64(st, 8, pa->bytes);
		sqlite3_bind_int64(st, 9, pa->gap);
		rc = step_done(s, st, "cannot store a flow path");
		if (rc == 0)
			rc = insert_segments(s, sqlite3_last_insert_rowid(s->db),
			    pa);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
insert_anomalies(struct store *s, long flow, const struct flow *f)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (f->n_anomalies == 0)
		return 0;
	rc = prepare(s, "INSERT INTO flow_anomaly (flow, kind, ts, packet, "
	    "seq, previous, replay_top, accepted_ts, accepted_packet, below) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < f->n_anomalies && rc == 0; i++) {
		const struct flow_anomaly *a = &f->anomalies[i];
		int restart = a->kind == FLOW_SEQ_RESTART;

		sqlite3_bind_int64(st, 1, flow);
		bind_text(st, 2, flow_anomaly_name(a->kind));
		sqlite3_bind_int64(st, 3, a->ts);
		sqlite3_bind_int64(st, 4, a->packet);
		sqlite3_bind_int64(st, 5, a->seq);
		sqlite3_bind_int64(st, 6, a->previous);
		for (int k = 7; k <= 10; k++)
			sqlite3_bind_null(st, k);
		if (restart) {
			sqlite3_bind_int64(st, 7, a->replay_top);
			bind_time(st, 8, a->accepted_ts);
			if (a->accepted_ts != FP_TIME_NONE)
				sqlite3_bind_int64(st, 9, a->accepted_packet);
			sqlite3_bind_int64(st, 10, a->below);
		}
		rc = step_done(s, st, "cannot store a sequence number event");
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_flow_insert(struct store *s, long evidence, const struct flow *f)
{
	sqlite3_stmt *st = NULL;
	long id;
	int rc, esp = f->kind == FLOW_ESP;

	rc = prepare(s, "INSERT INTO flow (evidence, kind, src, dst, spi, "
	    "sport, dport, icmp_type, icmp_id, udp_encap, packets, bytes, "
	    "first_ts, last_ts, first_packet, last_packet, spacing, ttl_min, "
	    "ttl_max, seq_first, seq_last, seq_min, seq_max, seq_gaps, "
	    "seq_missing, seq_repeats, seq_late, seq_restarts, echo_pairs, "
	    "anomalies_dropped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	for (int k = 1; k <= 30; k++)
		sqlite3_bind_null(st, k);
	sqlite3_bind_int64(st, 1, evidence);
	bind_text(st, 2, flow_kind_name(f->kind));
	bind_text(st, 3, f->src);
	bind_text(st, 4, f->dst);
	if (esp)
		sqlite3_bind_int64(st, 5, f->spi);
	if (f->kind == FLOW_UDP || f->kind == FLOW_TCP) {
		sqlite3_bind_int64(st, 6, f->sport);
		sqlite3_bind_int64(st, 7, f->dport);
	}
	if (f->kind == FLOW_ICMP) {
		sqlite3_bind_int64(st, 8, f->icmp_type);
		sqlite3_bind_int64(st, 9, f->icmp_id);
		sqlite3_bind_int64(st, 29, f->echo_pairs);
	}
	sqlite3_bind_int(st, 10, f->udp_encap);
	sqlite3_bind_int64(st, 11, f->packets);
	sqlite3_bind_int64(st, 12, f->bytes);
	sqlite3_bind_int64(st, 13, f->first);
	sqlite3_bind_int64(st, 14, f->last);
	sqlite3_bind_int64(st, 15, f->first_packet);
	sqlite3_bind_int64(st, 16, f->last_packet);
	sqlite3_bind_int64(st, 17, f->spacing);
	sqlite3_bind_int64(st, 18, f->ttl_min);
	sqlite3_bind_int64(st, 19, f->ttl_max);
	if (esp) {
		sqlite3_bind_int64(st, 20, f->seq_first);
		sqlite3_bind_int64(st, 21, f->seq_last);
		sqlite3_bind_int64(st, 22, f->seq_min);
		sqlite3_bind_int64(st, 23, f->seq_max);
		sqlite3_bind_int64(st, 24, f->seq_gaps);
		sqlite3_bind_int64(st, 25, f->seq_missing);
		sqlite3_bind_int64(st, 26, f->seq_repeats);
		sqlite3_bind_int64(st, 27, f->seq_late);
		sqlite3_bind_int64(st, 28, f->seq_restarts);
	}
	sqlite3_bind_int64(st, 30, f->anomalies_dropped);
	rc = step_done(s, st, "cannot store a flow");
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	id = (long)sqlite3_last_insert_rowid(s->db);
	if ((rc = insert_paths(s, id, f)) != 0)
		return rc;
	return insert_anomalies(s, id, f);
}

int
store_counter_insert(struct store *s, long evidence,
    const struct fp_counter *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO counter (evidence, line, ts, host, tool, "
	    "name, conn, spi, direction, src, dst, local_ts, remote_ts, "
	    "installed, packets, bytes, value) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, c->line);
	sqlite3_bind_int64(st, 3, c->ts);
	bind_text(st, 4, c->host);
	bind_text(st, 5, c->tool);
	bind_text(st, 6, c->name);
	bind_text(st, 7, c->conn);
	bind_text(st, 8, c->spi);
	bind_text(st, 9, c->direction);
	bind_text(st, 10, c->src);
	bind_text(st, 11, c->dst);
	bind_text(st, 12, c->local_ts);
	bind_text(st, 13, c->remote_ts);
	bind_time(st, 14, c->installed);
	bind_opt(st, 15, c->packets);
	bind_opt(st, 16, c->bytes);
	bind_opt(st, 17, c->value);
	rc = step_done(s, st, "cannot store a counter");
	sqlite3_finalize(st);
	return rc;
}

/* Keep a string of a row for the life of the set. */
static const char *
keep_text(struct evidence_set *set, sqlite3_stmt *st, int col)
{
	char *t = col_text(st, col);

	if (t == NULL)
		return NULL;
	if (set->n_strings == set->cap_strings) {
		set->cap_strings = set->cap_strings ? set->cap_strings * 2 : 256;
		set->strings = xrealloc(set->strings,
		    set->cap_strings * sizeof(*set->strings));
	}
	set->strings[set->n_strings++] = t;
	return t;
}

static const struct store_evidence *
evidence_of(const struct evidence_set *set, long id)
{
	for (size_t i = 0; i < set->n_files; i++)
		if (set->files[i].id == id)
			return &set->files[i];
	return NULL;
}

static void
copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", t != NULL ? (const char *)t : "");
}

/* Row ids of the loaded flows and paths, to attach their children. */
struct id_map {
	long *flow_ids;		/* parallel to set->flows */
	long *path_ids;		/* flow index * FLOW_MAX_PATHS + path */
};

static long
find_flow(const struct evidence_set *set, const struct id_map *m, long id)
{
	size_t lo = 0, hi = set->n_flows;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->flow_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->n_flows && m->flow_ids[lo] == id ? (long)lo : -1;
}

static int
load_flows(struct store *s, long run, struct evidence_set *set,
    struct id_map *m)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT f.id, f.evidence, f.kind, src, dst, spi, sport, "
	    "dport, icmp_type, icmp_id, udp_encap, packets, bytes, first_ts, "
	    "last_ts, first_packet, last_packet, spacing, ttl_min, ttl_max, "
	    "seq_first, seq_last, seq_min, seq_max, seq_gaps, seq_missing, "
	    "seq_repeats, seq_late, seq_restarts, echo_pairs, "
	    "anomalies_dropped FROM flow f JOIN evidence v ON v.id = "
	    "f.evidence WHERE v.run = ? ORDER BY f.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct store_evidence *ev;
		struct stored_flow *sf;
		struct flow *f;

		if (set->n_flows == cap) {
			cap = cap ? cap * 2 : 64;
			set->flows = xrealloc(set->flows,
			    cap * sizeof(*set->flows));
			m->flow_ids = xrealloc(m->flow_ids,
			    cap * sizeof(*m->flow_ids));
		}
		m->flow_ids[set->n_flows] = (long)sqlite3_column_int64(st, 0);
		sf = &set->flows[set->n_flows++];
		memset(sf, 0, sizeof(*sf));
		f = &sf->f;
		sf->evidence = (long)sqlite3_column_int64(st, 1);
		ev = evidence_of(set, sf->evidence);
		sf->file = ev != NULL ? ev->name : "?";
		sf->capture_host = ev != NULL ? ev->host : NULL;
		f->kind = flow_kind_from_name(
		    (const char *)sqlite3_column_text(st, 2));
		copy_col(f->src, sizeof(f->src), st, 3);
		copy_col(f->dst, sizeof(f->dst), st, 4);
		f->spi = (uint32_t)sqlite3_column_int64(st, 5);
		f->sport = (unsigned)sqlite3_column_int64(st, 6);
		f->dport = (unsigned)sqlite3_column_int64(st, 7);
		f->icmp_type = (int)col_opt(st, 8);
		f->icmp_id = (int)col_opt(st, 9);
		f->udp_encap = sqlite3_column_int(st, 10);
		f->packets = sqlite3_column_int64(st, 11);
		f->bytes = sqlite3_column_int64(st, 12);
		f->first = sqlite3_column_int64(st, 13);
		f->last = sqlite3_column_int64(st, 14);
		f->first_packet = (long)sqlite3_column_int64(st, 15);
		f->last_packet = (long)sqlite3_column_int64(st, 16);
		f->spacing = sqlite3_column_int64(st, 17);
		f->ttl_min = (unsigned)sqlite3_column_int64(st, 18);
		f->ttl_max = (unsigned)sqlite3_column_int64(st, 19);
		f->seq_first = (uint32_t)sqlite3_column_int64(st, 20);
		f->seq_last = (uint32_t)sqlite3_column_int64(st, 21);
		f->seq_min = (uint32_t)sqlite3_column_int64(st, 22);
		f->seq_max = (uint32_t)sqlite3_column_int64(st, 23);
		f->seq_gaps = sqlite3_column_int64(st, 24);
		f->seq_missing = sqlite3_column_int64(st, 25);
		f->seq_repeats = sqlite3_column_int64(st, 26);
		f->seq_late = sqlite3_column_int64(st, 27);
		f->seq_restarts = sqlite3_column_int64(st, 28);
		f->echo_pairs = sqlite3_column_int64(st, 29);
		f->anomalies_dropped = sqlite3_column_int64(st, 30);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
load_paths(struct store *s, long run, struct evidence_set *set,
    struct id_map *m)
{
	sqlite3_stmt *st = NULL;
	int rc;

	m->path_ids = xcalloc(set->n_flows * FLOW_MAX_PATHS + 1,
	    sizeof(*m->path_ids));
	rc = prepare(s, "SELECT p.id, p.flow, src_mac, dst_mac, interface, "
	    "p.sport, p.dport, p.packets, p.bytes, gap FROM flow_path p JOIN "
	    "flow f ON f.id = p.flow JOIN evidence v ON v.id = f.evidence "
	    "WHERE v.run = ? ORDER BY p.flow, p.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long k = find_flow(set, m, (long)sqlite3_column_int64(st, 1));
		struct flow_path *pa;
		struct flow *f;

		if (k < 0 || set->flows[k].f.n_paths == FLOW_MAX_PATHS)
			continue;
		f = &set->flows[k].f;
		m->path_ids[k * FLOW_MAX_PATHS + f->n_paths] =
		    (long)sqlite3_column_int64(st, 0);
		pa = &f->paths[f->n_paths++];
		copy_col(pa->src_mac, sizeof(pa->src_mac), st, 2);
		copy_col(pa->dst_mac, sizeof(pa->dst_mac), st, 3);
		pa->interface = (unsigned)sqlite3_column_int64(st, 4);
		pa->sport = (unsigned)sqlite3_column_int64(st, 5);
		pa->dport = (unsigned)sqlite3_column_int64(st, 6);
		pa->packets = sqlite3_column_int64(st, 7);
		pa->bytes = sqlite3_column_int64(st, 8);
		pa->gap = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return 0;
}

/* The path a segment row belongs to: its flow, then its id. */
static struct flow_path *
find_path(struct evidence_set *set, const struct id_map *m, long flow_id,
    long path_id)
{
	long k = find_flow(set, m, flow_id);

	if (k < 0)
		return NULL;
	for (size_t i = 0; i < set->flows[k].f.n_paths; i++)
		if (m->path_ids[k * FLOW_MAX_PATHS + (long)i] == path_id)
			return &set->flows[k].f.paths[i];
	return NULL;
}

static int
load_segments(struct store *s, long run, struct evidence_set *set,
    const struct id_map *m)
{
	struct flow_path *pa = NULL;
	sqlite3_stmt *st = NULL;
	long current = -1;
	int rc;

	rc = prepare(s, "SELECT g.path, p.flow, g.t_start, g.t_end, "
	    "g.first_packet, g.last_packet, g.packets, g.bytes FROM "
	    "flow_segment g JOIN flow_path p ON p.id = g.path JOIN flow f ON "
	    "f.id = p.flow JOIN evidence v ON v.id = f.evidence WHERE "
	    "v.run = ? ORDER BY g.path, g.t_start", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long path = (long)sqlite3_column_int64(st, 0);
		struct flow_segment *g;

		if (path != current) {
			current = path;
			pa = find_path(set, m,
			    (long)sqlite3_column_int64(st, 1), path);
		}
		if (pa == NULL)
			continue;
		if (pa->n_segments == pa->cap_segments) {
			pa->cap_segments = pa->cap_segments ?
			    pa->cap_segments * 2 : 8;
			pa->segments = xrealloc(pa->segments,
			    pa->cap_segments * sizeof(*pa->segments));
		}
		g = &pa->segments[pa->n_segments++];
		g->start = sqlite3_column_int64(st, 2);
		g->end = sqlite3_column_int64(st, 3);
		g->first_packet = (long)sqlite3_column_int64(st, 4);
		g->last_packet = (long)sqlite3_column_int64(st, 5);
		g->packets = sqlite3_column_int64(st, 6);
		g->bytes = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
load_anomalies(struct store *s, long run, struct evidence_set *set,
    const struct id_map *m)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT a.flow, a.kind, a.ts, a.packet, a.seq, "
	    "a.previous, a.replay_top, a.accepted_ts, a.accepted_packet, "
	    "a.below FROM flow_anomaly a JOIN flow f ON f.id = a.flow JOIN "
	    "evidence v ON v.id = f.evidence WHERE v.run = ? ORDER BY a.flow, "
	    "a.rowid", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long k = find_flow(set, m, (long)sqlite3_column_int64(st, 0));
		struct flow_anomaly *a;
		struct flow *f;

		if (k < 0 || set->flows[k].f.n_anomalies == FLOW_MAX_ANOMALIES)
			continue;
		f = &set->flows[k].f;
		a = &f->anomalies[f->n_anomalies++];
		a->kind = flow_anomaly_from_name(
		    (const char *)sqlite3_column_text(st, 1));
		a->ts = sqlite3_column_int64(st, 2);
		a->packet = (long)sqlite3_column_int64(st, 3);
		a->seq = (uint32_t)sqlite3_column_int64(st, 4);
		a->previous = (uint32_t)sqlite3_column_int64(st, 5);
		a->replay_top = (uint32_t)sqlite3_column_int64(st, 6);
		a->accepted_ts = col_time(st, 7);
		a->accepted_packet = (long)sqlite3_column_int64(st, 8);
		a->below = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
load_counters(struct store *s, long run, struct evidence_set *set)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT c.evidence, line, ts, c.host, tool, c.name, "
	    "conn, spi, direction, src, dst, local_ts, remote_ts, installed, "
	    "packets, bytes, value FROM counter c JOIN evidence v ON v.id = "
	    "c.evidence WHERE v.run = ? ORDER BY ts, c.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct store_evidence *ev;
		struct stored_counter *sc;
		struct fp_counter *c;

		if (set->n_counters == cap) {
			cap = cap ? cap * 2 : 64;
			set->counters = xrealloc(set->counters,
			    cap * sizeof(*set->counters));
		}
		sc = &set->counters[set->n_counters++];
		memset(sc, 0, sizeof(*sc));
		c = &sc->c;
		sc->evidence = (long)sqlite3_column_int64(st, 0);
		ev = evidence_of(set, sc->evidence);
		sc->file = ev != NULL ? ev->name : "?";
		c->line = (long)sqlite3_column_int64(st, 1);
		c->ts = sqlite3_column_int64(st, 2);
		c->host = keep_text(set, st, 3);
		c->tool = keep_text(set, st, 4);
		c->name = keep_text(set, st, 5);
		c->conn = keep_text(set, st, 6);
		c->spi = keep_text(set, st, 7);
		c->direction = keep_text(set, st, 8);
		c->src = keep_text(set, st, 9);
		c->dst = keep_text(set, st, 10);
		c->local_ts = keep_text(set, st, 11);
		c->remote_ts = keep_text(set, st, 12);
		c->installed = col_time(st, 13);
		c->packets = col_opt(st, 14);
		c->bytes = col_opt(st, 15);
		c->value = col_opt(st, 16);
	}
	sqlite3_finalize(st);
	return 0;
}

int
store_load_traffic(struct store *s, long run, struct evidence_set *set)
{
	struct id_map m = { NULL, NULL };
	int rc;

	if ((rc = load_flows(s, run, set, &m)) == 0 &&
	    (rc = load_paths(s, run, set, &m)) == 0 &&
	    (rc = load_segments(s, run, set, &m)) == 0 &&
	    (rc = load_anomalies(s, run, set, &m)) == 0)
		rc = load_counters(s, run, set);
	free(m.flow_ids);
	free(m.path_ids);
	return rc;
}

void
store_traffic_release(struct evidence_set *set)
{
	for (size_t i = 0; i < set->n_flows; i++)
		flow_release(&set->flows[i].f);
	free(set->flows);
	free(set->counters);
	set->flows = NULL;
	set->counters = NULL;
	set->n_flows = set->n_counters = 0;
}
