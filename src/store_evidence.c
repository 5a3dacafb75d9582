/*
 * Archived evidence files and their normalised records (events, traffic
 * samples, packets), and loading everything one run holds for evaluation.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static void
evidence_from_row(sqlite3_stmt *st, struct store_evidence *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->run = sqlite3_column_int64(st, 1);
	e->name = col_text(st, 2);
	e->kind = col_text(st, 3);
	e->host = col_text(st, 4);
	e->sha256 = col_text(st, 5);
	e->size = sqlite3_column_int64(st, 6);
	e->repo_path = col_text(st, 7);
	e->commit_id = col_text(st, 8);
	e->imported_at = sqlite3_column_int64(st, 9);
	e->records = (long)sqlite3_column_int64(st, 10);
	e->partial = col_text(st, 11);
}

#define EVIDENCE_COLUMNS "id, run, name, kind, host, sha256, size, " \
	"repo_path, commit_id, imported_at, records, partial"

int
store_evidence_find(struct store *s, long run, const char *sha256,
    struct store_evidence *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT " EVIDENCE_COLUMNS " FROM evidence "
	    "WHERE run = ? AND sha256 = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	bind_text(st, 2, sha256);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return FP_ENOTFOUND;
	}
	evidence_from_row(st, out);
	sqlite3_finalize(st);
	return 0;
}

int
store_evidence_insert(struct store *s, struct store_evidence *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO evidence (run, name, kind, host, sha256, "
	    "size, repo_path, commit_id, imported_at, records, partial) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, e->run);
	bind_text(st, 2, e->name);
	bind_text(st, 3, e->kind);
	bind_text(st, 4, e->host);
	bind_text(st, 5, e->sha256);
	sqlite3_bind_int64(st, 6, e->size);
	bind_text(st, 7, e->repo_path);
	sqlite3_bind_text(st, 8, e->commit_id ? e->commit_id : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, e->imported_at);
	rc = step_done(s, st, "cannot record the evidence file");
	sqlite3_finalize(st);
	if (rc == 0)
		e->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_evidence_finish(struct store *s, long id, long records,
    const char *partial)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE evidence SET records = ?, partial = ? "
	    "WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, records);
	bind_text(st, 2, partial);
	sqlite3_bind_int64(st, 3, id);
	rc = step_done(s, st, "cannot update the evidence file");
	sqlite3_finalize(st);
	return rc;
}

int
store_evidence_set_commit(struct store *s, long id, const char *commit)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE evidence SET commit_id = ? WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, commit);
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(s, st, "cannot record the evidence commit");
	sqlite3_finalize(st);
	return rc;
}

static int
evidence_query(struct store *s, long run, struct store_evidence **out,
    size_t *count)
{
	struct store_evidence *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	int rc;

	rc = prepare(s, run > 0 ? "SELECT " EVIDENCE_COLUMNS " FROM evidence "
	    "WHERE run = ? ORDER BY id" : "SELECT " EVIDENCE_COLUMNS
	    " FROM evidence ORDER BY id", &st);
	if (rc != 0)
		return rc;
	if (run > 0)
		sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		evidence_from_row(st, &v[n++]);
	}
	sqlite3_finalize(st);
	*out = v;
	*count = n;
	return 0;
}

int
store_evidence_list(struct store *s, long run, struct store_evidence **out,
    size_t *count)
{
	return evidence_query(s, run, out, count);
}

int
store_evidence_all(struct store *s, struct store_evidence **out,
    size_t *count)
{
	return evidence_query(s, 0, out, count);
}

void
store_evidence_release(struct store_evidence *e)
{
	free(e->name);
	free(e->kind);
	free(e->host);
	free(e->sha256);
	free(e->repo_path);
	free(e->commit_id);
	free(e->partial);
}

void
store_evidence_list_free(struct store_evidence *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		store_evidence_release(&v[i]);
	free(v);
}

int
store_event_insert(struct store *s, long evidence, const struct fp_event *ev)
{
	sqlite3_stmt *st;
	int rc;

	if (s->ins_event == NULL && (rc = prepare(s, "INSERT INTO event "
	    "(evidence, line, ts, host, kind, direction, conn, local_addr, "
	    "peer_addr, local_id, peer_id, ike_spi_i, ike_spi_r, spi_in, "
	    "spi_out, exchange, is_response, msgid, notify, detail, message, "
	    "vendor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", &s->ins_event)) != 0)
		return rc;
	st = s->ins_event;
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, ev->line);
	sqlite3_bind_int64(st, 3, ev->ts);
	bind_text(st, 4, ev->host);
	bind_text(st, 5, ev->kind);
	bind_text(st, 6, ev->direction);
	bind_text(st, 7, ev->conn);
	bind_text(st, 8, ev->local_addr);
	bind_text(st, 9, ev->peer_addr);
	bind_text(st, 10, ev->local_id);
	bind_text(st, 11, ev->peer_id);
	bind_text(st, 12, ev->ike_spi_i);
	bind_text(st, 13, ev->ike_spi_r);
	bind_text(st, 14, ev->spi_in);
	bind_text(st, 15, ev->spi_out);
	bind_text(st, 16, ev->exchange);
	bind_opt(st, 17, ev->is_response);
	bind_opt(st, 18, ev->msgid);
	bind_text(st, 19, ev->notify);
	bind_text(st, 20, ev->detail);
	bind_text(st, 21, ev->message);
	bind_text(st, 22, ev->vendor);
	return step_done(s, st, "cannot store an event");
}

int
store_sample_insert(struct store *s, long evidence,
    const struct fp_sample *sm)
{
	sqlite3_stmt *st;
	int rc;

	if (s->ins_sample == NULL && (rc = prepare(s, "INSERT INTO sample "
	    "(evidence, line, source, src, dst, both_directions, t_start, "
	    "t_end, offered, delivered, lost, bytes, resolution, note) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &s->ins_sample)) != 0)
		return rc;
	st = s->ins_sample;
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, sm->line);
	bind_text(st, 3, sm->source);
	bind_text(st, 4, sm->src);
	bind_text(st, 5, sm->dst);
	sqlite3_bind_int(st, 6, sm->both_directions != 0);
	sqlite3_bind_int64(st, 7, sm->t_start);
	sqlite3_bind_int64(st, 8, sm->t_end);
	bind_opt(st, 9, sm->offered);
	bind_opt(st, 10, sm->delivered);
	bind_opt(st, 11, sm->lost);
	bind_opt(st, 12, sm->bytes);
	bind_opt(st, 13, sm->resolution);
	bind_text(st, 14, sm->note);
	return step_done(s, st, "cannot store a traffic sample");
}

int
store_packet_insert(struct store *s, long evidence, const struct fp_packet *p)
{
	sqlite3_stmt *st;
	int rc;

	if (s->ins_packet == NULL && (rc = prepare(s, "INSERT INTO packet "
	    "(evidence, number, ts, wire_len, interface, src_mac, dst_mac, "
	    "src, dst, sport, dport, proto, udp_encap, spi, seq, ike_spi_i, "
	    "ike_spi_r, ike_version, exchange, is_response, is_initiator, "
	    "msgid, notify, icmp_type, icmp_id, icmp_seq) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &s->ins_packet)) != 0)
		return rc;
	st = s->ins_packet;
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, p->number);
	sqlite3_bind_int64(st, 3, p->ts);
	sqlite3_bind_int64(st, 4, p->wire_len);
	sqlite3_bind_int64(st, 5, p->interface);
	bind_text(st, 6, p->src_mac);
	bind_text(st, 7, p->dst_mac);
	bind_text(st, 8, p->src);
	bind_text(st, 9, p->dst);
	sqlite3_bind_int(st, 10, (int)p->sport);
	sqlite3_bind_int(st, 11, (int)p->dport);
	bind_text(st, 12, fp_packet_proto_name(p->proto));
	sqlite3_bind_int(st, 13, p->udp_encap);
	for (int i = 14; i <= 26; i++)
		sqlite3_bind_null(st, i);
	if (p->proto == FP_PKT_ESP) {
		sqlite3_bind_int64(st, 14, p->spi);
		sqlite3_bind_int64(st, 15, p->seq);
	} else if (p->proto == FP_PKT_IKE) {
		bind_text(st, 16, p->ike_spi_i);
		bind_text(st, 17, p->ike_spi_r);
		sqlite3_bind_int(st, 18, p->ike_version);
		sqlite3_bind_int(st, 19, p->exchange);
		sqlite3_bind_int(st, 20, p->is_response);
		sqlite3_bind_int(st, 21, p->is_initiator);
		sqlite3_bind_int64(st, 22, p->msgid);
		bind_text(st, 23, p->notify);
	} else if (p->proto == FP_PKT_ICMP) {
		sqlite3_bind_int(st, 24, p->icmp_type);
		sqlite3_bind_int(st, 25, p->icmp_id);
		sqlite3_bind_int(st, 26, p->icmp_seq);
	}
	return step_done(s, st, "cannot store a packet");
}
