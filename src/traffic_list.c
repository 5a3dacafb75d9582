/*
 * The traffic listing of a run (see traffic_list.h).  Flags that depend
 * on the failover use the run's stated instant, else the earliest HA
 * takeover in the logs.  Without either, only the sequence flags remain.
 */
#include <stdlib.h>
#include <string.h>

#include "esp_flows.h"
#include "flow_samples.h"
#include "sa_counters.h"
#include "traffic_list.h"

static json_t *
time_json(fp_time t)
{
	char buf[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return json_null();
	fp_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
text_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static json_t *
ref_json(const char *file, const char *unit, long number)
{
	return json_pack("{s:s, s:I}", "file", file, unit,
	    (json_int_t)number);
}

static fp_time
failover_of(const struct fp_run *run, const struct evidence_set *set)
{
	if (run->failover_at != FP_TIME_NONE)
		return run->failover_at;
	for (size_t i = 0; i < set->n_events; i++) {
		const char *kind = set->events[i].e.kind;

		if (strcmp(kind, "ha_failover") == 0 ||
		    strcmp(kind, "ha_ike_sa_activated") == 0)
			return set->events[i].e.ts;
	}
	return FP_TIME_NONE;
}

static json_t *
units_json(const struct flow *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n_paths; i++) {
		const struct flow_path *pa = &f->paths[i];
		const struct flow_segment *first = NULL, *last = NULL;

		if (pa->n_segments > 0) {
			first = &pa->segments[0];
			last = &pa->segments[pa->n_segments - 1];
		}
		json_array_append_new(a, json_pack("{s:o, s:o, s:I, s:o, s:o, "
		    "s:I, s:I, s:o, s:o, s:I, s:I}", "src_mac",
		    text_or_null(pa->src_mac), "dst_mac",
		    text_or_null(pa->dst_mac), "interface",
		    (json_int_t)pa->interface, "sport", pa->sport ?
		    json_integer(pa->sport) : json_null(), "dport", pa->dport ?
		    json_integer(pa->dport) : json_null(), "packets",
		    (json_int_t)pa->packets, "bytes", (json_int_t)pa->bytes,
		    "first", time_json(first ? first->start : FP_TIME_NONE),
		    "last", time_json(last ? last->end : FP_TIME_NONE),
		    "segments", (json_int_t)pa->n_segments,
		    "gap_ms", (json_int_t)(pa->gap / 1000)));
	}
	return a;
}

static json_t *
sequence_events_json(const struct stored_flow *sf)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sf->f.n_anomalies; i++) {
		const struct flow_anomaly *an = &sf->f.anomalies[i];
		json_t *o = json_pack("{s:s, s:o, s:I, s:I, s:I}", "kind",
		    flow_anomaly_name(an->kind), "time", time_json(an->ts),
		    "packet", (json_int_t)an->packet, "seq",
		    (json_int_t)an->seq, "previous", (json_int_t)an->previous);

		if (an->kind == FLOW_SEQ_RESTART) {
			json_object_set_new(o, "replay_top",
			    json_integer(an->replay_top));
			json_object_set_new(o, "accepted",
			    time_json(an->accepted_ts));
			json_object_set_new(o, "accepted_packet",
			    an->accepted_ts == FP_TIME_NONE ? json_null() :
			    json_integer(an->accepted_packet));
			json_object_set_new(o, "dropped", json_integer(an->below));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
flags_json(const struct esp_judgement *j)
{
	json_t *a = json_array();

	for (size_t i = 0; j != NULL && i < j->n_flags; i++) {
		const struct esp_flag *fl = &j->flags[i];
		json_t *refs = json_array();
		char *text = esp_flag_text(j, fl);

		if (fl->packet > 0)
			json_array_append_new(refs, ref_json(j->sf->file,
			    "packet", fl->packet));
		if (fl->event != NULL)
			json_array_append_new(refs, ref_json(fl->event->file,
			    "line", fl->event->e.line));
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:o, s:o, "
		    "s:o, s:o}", "id", esp_flag_id(fl->kind), "text", text,
		    "after_failover", fl->after_failover, "from",
		    time_json(fl->from), "to", time_json(fl->to), "packets",
		    fl->packets < 0 ? json_null() : json_integer(fl->packets),
		    "evidence", refs));
		free(text);
	}
	return a;
}

static const char *
side_name(const struct evidence_set *set, const struct stored_flow *sf)
{
	switch (clear_flow_crossed(set, sf)) {
	case 1:
		return "crossed";
	case 0:
		return "entering";
	}
	return "unknown";
}

static json_t *
seq_json(const struct flow *f, int64_t v)
{
	return f->kind == FLOW_ESP ? json_integer(v) : json_null();
}

static json_t *
flow_json(const struct evidence_set *set, const struct stored_flow *sf,
    const struct esp_judgement *j)
{
	const struct flow *f = &sf->f;
	int esp = f->kind == FLOW_ESP, ports = f->kind == FLOW_UDP ||
	    f->kind == FLOW_TCP;
	char hex[9];
	json_t *o;

	spi_hex(f->spi, hex);
	o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:o, s:o}",
	    "source", esp ? SOURCE_ESP : SOURCE_CLEAR, "file", sf->file,
	    "host", text_or_null(sf->capture_host), "protocol",
	    flow_kind_name(f->kind), "spi", esp ? json_string(hex) :
	    json_null(), "src", f->src, "dst", f->dst,
	    "sport", ports ? json_integer(f->sport) : json_null(),
	    "dport", ports ? json_integer(f->dport) : json_null());
	json_object_set_new(o, "packets", json_integer(f->packets));
	json_object_set_new(o, "bytes", json_integer(f->bytes));
	json_object_set_new(o, "first", time_json(f->first));
	json_object_set_new(o, "last", time_json(f->last));
	json_object_set_new(o, "first_packet", json_integer(f->first_packet));
	json_object_set_new(o, "last_packet", json_integer(f->last_packet));
	json_object_set_new(o, "spacing_ms", f->spacing > 0 ?
	    json_real((double)f->spacing / 1000.0) : json_null());
	json_object_set_new(o, "udp_encap", json_boolean(f->udp_encap));
	json_object_set_new(o, "seq_first", seq_json(f, f->seq_first));
	json_object_set_new(o, "seq_last", seq_json(f, f->seq_last));
	json_object_set_new(o, "seq_min", seq_json(f, f->seq_min));
	json_object_set_new(o, "seq_max", seq_json(f, f->seq_max));
	json_object_set_new(o, "seq_gaps", seq_json(f, f->seq_gaps));
	json_object_set_new(o, "seq_missing", seq_json(f, f->seq_missing));
	json_object_set_new(o, "seq_repeats", seq_json(f, f->seq_repeats));
	json_object_set_new(o, "seq_late", seq_json(f, f->seq_late));
	json_object_set_new(o, "seq_restarts", seq_json(f, f->seq_restarts));
	if (f->kind == FLOW_ICMP) {
		json_object_set_new(o, "icmp_type", json_integer(f->icmp_type));
		json_object_set_new(o, "icmp_id", json_integer(f->icmp_id));
		json_object_set_new(o, "echo_pairs", json_integer(f->echo_pairs));
	}
	json_object_set_new(o, "side", esp ? json_null() :
	    json_string(side_name(set, sf)));
	json_object_set_new(o, "ttl", f->ttl_max == 0 ? json_null() :
	    json_pack("[I, I]", (json_int_t)f->ttl_min,
	    (json_int_t)f->ttl_max));
	json_object_set_new(o, "units", units_json(f));
	json_object_set_new(o, "sequence_events", esp ?
	    sequence_events_json(sf) : json_array());
	json_object_set_new(o, "flags", flags_json(j));
	json_object_set_new(o, "evidence", json_pack("[o, o]",
	    ref_json(sf->file, "packet", f->first_packet),
	    ref_json(sf->file, "packet", f->last_packet)));
	return o;
}

static json_t *
series_json(const struct sa_series *s)
{
	const struct fp_counter *first = &s->first->c, *last = &s->last->c;
	double seconds = (double)(last->ts - first->ts) / 1e6;
	json_t *o;

	o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}",
	    "source", SOURCE_COUNTERS, "file", s->last->file, "host",
	    text_or_null(last->host), "protocol", "esp", "spi",
	    text_or_null(last->spi), "direction",
	    text_or_null(last->direction), "src", text_or_null(last->src),
	    "dst", text_or_null(last->dst));
	json_object_set_new(o, "packets", s->packets < 0 ? json_null() :
	    json_integer(s->packets));
	json_object_set_new(o, "bytes", s->bytes < 0 ? json_null() :
	    json_integer(s->bytes));
	json_object_set_new(o, "first", time_json(first->ts));
	json_object_set_new(o, "last", time_json(last->ts));
	json_object_set_new(o, "readings", json_integer(s->readings));
	json_object_set_new(o, "packets_total", last->packets < 0 ?
	    json_null() : json_integer(last->packets));
	json_object_set_new(o, "bytes_total", last->bytes < 0 ?
	    json_null() : json_integer(last->bytes));
	json_object_set_new(o, "moved", s->readings < 2 || s->packets < 0 ?
	    json_null() : json_boolean(s->packets > 0));
	json_object_set_new(o, "rate_pps", s->readings < 2 || seconds <= 0 ||
	    s->packets < 0 ? json_null() :
	    json_real((double)s->packets / seconds));
	json_object_set_new(o, "installed", time_json(last->installed));
	json_object_set_new(o, "conn", text_or_null(last->conn));
	json_object_set_new(o, "tool", text_or_null(last->tool));
	json_object_set_new(o, "local_ts", text_or_null(last->local_ts));
	json_object_set_new(o, "remote_ts", text_or_null(last->remote_ts));
	json_object_set_new(o, "seq_gaps", json_null());
	json_object_set_new(o, "seq_restarts", json_null());
	json_object_set_new(o, "flags", json_array());
	json_object_set_new(o, "evidence", json_pack("[o, o]",
	    ref_json(s->first->file, "line", first->line),
	    ref_json(s->last->file, "line", last->line)));
	return o;
}

static json_t *
errors_json(const struct evidence_set *set)
{
	struct counter_change changes[256];
	json_t *a = json_array();
	size_t n;

	n = counters_errors(set, FP_TIME_NONE, changes, 256);
	for (size_t i = 0; i < n; i++) {
		const struct counter_change *c = &changes[i];

		json_array_append_new(a, json_pack("{s:o, s:s, s:s, s:o, s:o, "
		    "s:I, s:[o, o]}", "host", text_or_null(c->to->c.host),
		    "name", c->to->c.name, "cause", c->cause, "from",
		    time_json(c->from->c.ts), "to", time_json(c->to->c.ts),
		    "delta", (json_int_t)c->delta, "evidence",
		    ref_json(c->from->file, "line", c->from->c.line),
		    ref_json(c->to->file, "line", c->to->c.line)));
	}
	return a;
}

/* The IKE messages of each capture, by version, exchange and role. */
static json_t *
ike_json(const struct evidence_set *set)
{
	json_t *a = json_array();

	for (size_t f = 0; f < set->n_files; f++) {
		const char *file = set->files[f].name;
		int counts[3][256][2];

		memset(counts, 0, sizeof(counts));
		for (size_t i = 0; i < set->n_packets; i++) {
			const struct stored_packet *sp = &set->packets[i];
			const struct fp_packet *p = &sp->p;

			if (p->proto != FP_PKT_IKE || strcmp(sp->file, file) ||
			    p->ike_version < 1 || p->ike_version > 2 ||
			    p->exchange < 0 || p->exchange > 255)
				continue;
			counts[p->ike_version][p->exchange][p->is_response ==
			    1]++;
		}
		for (int v = 1; v <= 2; v++)
			for (int x = 0; x < 256; x++) {
				const char *name = fp_ike_exchange_name(v, x);

				if (counts[v][x][0] + counts[v][x][1] == 0)
					continue;
				json_array_append_new(a, json_pack("{s:s, s:i, "
				    "s:i, s:o, s:i, s:i, s:i}", "file", file,
				    "version", v, "exchange_type", x,
				    "exchange", text_or_null(name),
				    "messages", counts[v][x][0] +
				    counts[v][x][1], "requests",
				    counts[v][x][0], "responses",
				    counts[v][x][1]));
			}
	}
	return a;
}

int
traffic_list(struct workspace *ws, long id, json_t **out)
{
	struct evidence_set set = { 0 };
	struct fp_run run = { 0 };
	struct esp_analysis ea = { 0 };
	struct sa_series *series = NULL;
	json_t *o, *flows;
	size_t n_series, e = 0;
	fp_time failover;
	int rc;

	if ((rc = store_run_get(ws->store, id, &run)) != 0)
		return rc;
	if ((rc = store_load_evidence(ws->store, id, &set)) != 0)
		goto out;
	failover = failover_of(&run, &set);
	esp_analyse(&set, failover, &ea);

	flows = json_array();
	for (size_t i = 0; i < set.n_flows; i++) {
		const struct esp_judgement *j = NULL;

		if (set.flows[i].f.kind == FLOW_ESP && e < ea.n &&
		    ea.v[e].sf == &set.flows[i])
			j = &ea.v[e++];
		json_array_append_new(flows, flow_json(&set, &set.flows[i], j));
	}
	n_series = counters_series(&set, &series);
	for (size_t i = 0; i < n_series; i++)
		json_array_append_new(flows, series_json(&series[i]));

	o = json_pack("{s:I, s:o, s:o}", "run", (json_int_t)id, "failover_at",
	    time_json(failover), "flows", flows);
	json_object_set_new(o, "errors", errors_json(&set));
	json_object_set_new(o, "ike", ike_json(&set));
	*out = o;
out:
	free(series);
	esp_analysis_release(&ea);
	evidence_set_release(&set);
	fp_run_release(&run);
	return rc;
}
