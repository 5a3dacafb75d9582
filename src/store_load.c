/*
 * Loading everything one run holds, sorted by time, for the evaluation and
 * the report.  Strings are interned in the set and freed with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char *
intern(struct evidence_set *set, sqlite3_stmt *st, int col)
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

static const char *
file_name(const struct evidence_set *set, long evidence)
{
	for (size_t i = 0; i < set->n_files; i++)
		if (set->files[i].id == evidence)
			return set->files[i].name;
	return "?";
}

static const char *
file_host(const struct evidence_set *set, long evidence)
{
	for (size_t i = 0; i < set->n_files; i++)
		if (set->files[i].id == evidence)
			return set->files[i].host;
	return NULL;
}

static int
load_events(struct store *s, long run, struct evidence_set *set)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT e.evidence, line, ts, e.host, e.kind, "
	    "direction, conn, local_addr, peer_addr, local_id, peer_id, "
	    "ike_spi_i, ike_spi_r, spi_in, spi_out, exchange, is_response, "
	    "msgid, notify, detail, message FROM event e JOIN evidence v "
	    "ON v.id = e.evidence WHERE v.run = ? ORDER BY ts, e.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct stored_event *se;
		struct fp_event *e;

		if (set->n_events == cap) {
			cap = cap ? cap * 2 : 256;
			set->events = xrealloc(set->events,
			    cap * sizeof(*set->events));
		}
		se = &set->events[set->n_events++];
		memset(se, 0, sizeof(*se));
		e = &se->e;
		se->file = file_name(set, (long)sqlite3_column_int64(st, 0));
		e->line = (long)sqlite3_column_int64(st, 1);
		e->ts = sqlite3_column_int64(st, 2);
		e->host = intern(set, st, 3);
		e->kind = intern(set, st, 4);
		e->direction = intern(set, st, 5);
		e->conn = intern(set, st, 6);
		e->local_addr = intern(set, st, 7);
		e->peer_addr = intern(set, st, 8);
		e->local_id = intern(set, st, 9);
		e->peer_id = intern(set, st, 10);
		e->ike_spi_i = intern(set, st, 11);
		e->ike_spi_r = intern(set, st, 12);
		e->spi_in = intern(set, st, 13);
		e->spi_out = intern(set, st, 14);
		e->exchange = intern(set, st, 15);
		e->is_response = (int)col_opt(st, 16);
		e->msgid = (long)col_opt(st, 17);
		e->notify = intern(set, st, 18);
		e->detail = intern(set, st, 19);
		e->message = intern(set, st, 20);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
load_samples(struct store *s, long run, struct evidence_set *set)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT m.evidence, line, source, src, dst, "
	    "both_directions, t_start, t_end, offered, delivered, lost, bytes, "
	    "resolution, note FROM sample m JOIN evidence v ON v.id = "
	    "m.evidence WHERE v.run = ? ORDER BY t_start, m.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct stored_sample *ss;
		struct fp_sample *m;
		long evidence = (long)sqlite3_column_int64(st, 0);

		if (set->n_samples == cap) {
			cap = cap ? cap * 2 : 256;
			set->samples = xrealloc(set->samples,
			    cap * sizeof(*set->samples));
		}
		ss = &set->samples[set->n_samples++];
		memset(ss, 0, sizeof(*ss));
		m = &ss->s;
		ss->file = file_name(set, evidence);
		ss->file_host = file_host(set, evidence);
		m->line = (long)sqlite3_column_int64(st, 1);
		m->source = intern(set, st, 2);
		m->src = intern(set, st, 3);
		m->dst = intern(set, st, 4);
		m->both_directions = sqlite3_column_int(st, 5);
		m->t_start = sqlite3_column_int64(st, 6);
		m->t_end = sqlite3_column_int64(st, 7);
		m->offered = col_opt(st, 8);
		m->delivered = col_opt(st, 9);
		m->lost = col_opt(st, 10);
		m->bytes = col_opt(st, 11);
		m->resolution = col_opt(st, 12);
		m->note = intern(set, st, 13);
	}
	sqlite3_finalize(st);
	return 0;
}

static enum fp_packet_proto
proto_from_name(const char *name)
{
	static const enum fp_packet_proto all[] = { FP_PKT_IKE, FP_PKT_ESP,
	    FP_PKT_NAT_KEEPALIVE, FP_PKT_ICMP, FP_PKT_UDP, FP_PKT_TCP };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (name && strcmp(name, fp_packet_proto_name(all[i])) == 0)
			return all[i];
	return FP_PKT_OTHER;
}

static void
copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	dst[0] = '\0';
	if (t != NULL)
		snprintf(dst, size, "%s", (const char *)t);
}

/* Only IKE, ESP and ICMP packets matter to the evaluation. */
static int
load_packets(struct store *s, long run, struct evidence_set *set)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT p.evidence, number, ts, wire_len, interface, "
	    "src_mac, dst_mac, src, dst, sport, dport, proto, udp_encap, spi, "
	    "seq, ike_spi_i, ike_spi_r, ike_version, exchange, is_response, "
	    "is_initiator, msgid, notify, icmp_type, icmp_id, icmp_seq "
	    "FROM packet p JOIN evidence v ON v.id = p.evidence WHERE "
	    "v.run = ? AND proto IN ('ike', 'esp', 'icmp') ORDER BY ts, p.id",
	    &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct stored_packet *sp;
		struct fp_packet *p;
		long evidence = (long)sqlite3_column_int64(st, 0);
		const unsigned char *proto;

		if (set->n_packets == cap) {
			cap = cap ? cap * 2 : 1024;
			set->packets = xrealloc(set->packets,
			    cap * sizeof(*set->packets));
		}
		sp = &set->packets[set->n_packets++];
		memset(sp, 0, sizeof(*sp));
		p = &sp->p;
		sp->file = file_name(set, evidence);
		sp->capture_host = file_host(set, evidence);
		p->number = (long)sqlite3_column_int64(st, 1);
		p->ts = sqlite3_column_int64(st, 2);
		p->wire_len = (unsigned)sqlite3_column_int64(st, 3);
		p->interface = (unsigned)sqlite3_column_int64(st, 4);
		copy_text(p->src_mac, sizeof(p->src_mac), st, 5);
		copy_text(p->dst_mac, sizeof(p->dst_mac), st, 6);
		copy_text(p->src, sizeof(p->src), st, 7);
		copy_text(p->dst, sizeof(p->dst), st, 8);
		p->sport = (unsigned)sqlite3_column_int(st, 9);
		p->dport = (unsigned)sqlite3_column_int(st, 10);
		proto = sqlite3_column_text(st, 11);
		p->proto = proto_from_name((const char *)proto);
		p->udp_encap = sqlite3_column_int(st, 12);
		p->spi = (uint32_t)sqlite3_column_int64(st, 13);
		p->seq = (uint32_t)sqlite3_column_int64(st, 14);
		copy_text(p->ike_spi_i, sizeof(p->ike_spi_i), st, 15);
		copy_text(p->ike_spi_r, sizeof(p->ike_spi_r), st, 16);
		p->ike_version = sqlite3_column_int(st, 17);
		p->exchange = sqlite3_column_int(st, 18);
		p->is_response = sqlite3_column_int(st, 19);
		p->is_initiator = sqlite3_column_int(st, 20);
		p->msgid = (uint32_t)sqlite3_column_int64(st, 21);
		copy_text(p->notify, sizeof(p->notify), st, 22);
		p->icmp_type = sqlite3_column_int(st, 23);
		p->icmp_id = sqlite3_column_int(st, 24);
		p->icmp_seq = sqlite3_column_int(st, 25);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Mark the events of files whose every time stamp is a whole second. */
static void
mark_whole_seconds(struct evidence_set *set)
{
	for (size_t f = 0; f < set->n_files; f++) {
		const char *name = set->files[f].name;
		int whole = 1, any = 0;

		for (size_t i = 0; i < set->n_events && whole; i++)
			if (set->events[i].file == name) {
				any = 1;
				whole = set->events[i].e.ts % 1000000 == 0;
			}
		for (size_t i = 0; i < set->n_events && any && whole; i++)
			if (set->events[i].file == name)
				set->events[i].whole_seconds = 1;
	}
}

int
store_load_evidence(struct store *s, long run, struct evidence_set *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_evidence_list(s, run, &out->files, &out->n_files)) != 0 ||
	    (rc = load_events(s, run, out)) != 0 ||
	    (mark_whole_seconds(out), 0) ||
	    (rc = load_samples(s, run, out)) != 0 ||
	    (rc = load_packets(s, run, out)) != 0 ||
	    (rc = store_load_steps(s, run, out)) != 0 ||
	    (rc = store_load_traffic(s, run, out)) != 0) {
		evidence_set_release(out);
		return rc;
	}
	return 0;
}

void
evidence_set_release(struct evidence_set *set)
{
	for (size_t i = 0; i < set->n_strings; i++)
		free(set->strings[i]);
	free(set->strings);
	free(set->events);
	free(set->samples);
	free(set->packets);
	free(set->steps);
	store_traffic_release(set);
	store_evidence_list_free(set->files, set->n_files);
	memset(set, 0, sizeof(*set));
}
