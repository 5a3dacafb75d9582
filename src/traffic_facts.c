/*
 * Data-plane facts from capture flows and device counters, for the
 * decision tree's state-drift question.  They are a sequence restart on
 * an unchanged SPI after the failover (anti-replay failure), ESP to an
 * SPI that the receiver does not have, and replay or invalid-SPI drops
 * that counters recorded.  Logs give the same facts through their events
 * (facts.c), and either is enough.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esp_flows.h"
#include "facts.h"
#include "sa_counters.h"

static void
note_record(struct fact *f, fp_time ts, const char *file, const char *unit,
    long number)
{
	if (f->count++ > 0)
		return;
	f->ts = ts;
	f->file = file;
	f->unit = unit;
	f->number = number;
}

static int
host_is(const char *host, const char *role)
{
	return host != NULL && role != NULL && strcasecmp(host, role) == 0;
}

/* Keep the first description of what the data plane showed. */
static void
describe(struct facts *f, char *text)
{
	if (f->data_plane == NULL)
		f->data_plane = text;
	else
		free(text);
}

static void
esp_facts(const struct classify_input *in, struct facts *f)
{
	struct esp_analysis ea;

	esp_analyse(in->set, in->failover, &ea);
	for (size_t i = 0; i < ea.n; i++) {
		const struct esp_judgement *j = &ea.v[i];

		for (size_t k = 0; k < j->n_flags; k++) {
			const struct esp_flag *fl = &j->flags[k];
			struct fact *fact;

			if (!fl->after_failover || fl->from > f->window_end)
				continue;
			if (fl->kind == ESP_SEQ_RESTART)
				fact = &f->seq_restart;
			else if (fl->kind == ESP_NAT_CHANGE)
				fact = &f->nat_change;
			else if (fl->kind == ESP_DEAD_SPI ||
			    fl->kind == ESP_AFTER_DELETE ||
			    fl->kind == ESP_NOT_NEGOTIATED)
				fact = &f->invalid_spi;
			else
				continue;	/* logged: facts.c has the event */
			note_record(fact, fl->from, j->sf->file, "packet",
			    fl->packet);
			describe(f, esp_flag_text(j, fl));
		}
	}
	esp_analysis_release(&ea);
}

static void
counter_facts(const struct classify_input *in, struct facts *f)
{
	struct counter_change changes[32];
	size_t n;

	n = counters_errors(in->set, in->failover, changes, 32);
	for (size_t i = 0; i < n; i++) {
		const struct counter_change *c = &changes[i];
		const struct fp_counter *to = &c->to->c;
		struct fact *fact;

		if (c->from != NULL && c->from->c.ts > f->window_end)
			continue;
		fact = strcmp(c->cause, "replay-window") == 0 ? &f->replay :
		    &f->invalid_spi;
		note_record(fact, to->ts, c->to->file, "line", to->line);
		describe(f, xasprintf("%s on %s counted %lld more drops "
		    "(%s) after the failover", to->name,
		    to->host ? to->host : "the device", (long long)c->delta,
		    strcmp(c->cause, "replay-window") == 0 ?
		    "anti-replay" : "unknown SPI"));
	}
}

/* Does any IKE packet after from use the SPI pair of p? */
static int
spi_pair_used_after(const struct evidence_set *set,
    const struct stored_packet *sp, fp_time until)
{
	for (size_t i = 0; i < set->n_packets; i++) {
		const struct stored_packet *q = &set->packets[i];

		if (q->p.proto == FP_PKT_IKE && q->p.ts > sp->p.ts &&
		    q->p.ts <= until && q->p.exchange != 35 &&
		    strcmp(q->file, sp->file) == 0 &&
		    strcmp(q->p.ike_spi_i, sp->p.ike_spi_i) == 0 &&
		    strcmp(q->p.ike_spi_r, sp->p.ike_spi_r) == 0)
			return 1;
	}
	return 0;
}

/* The first ESP flow of the capture that starts after the response. */
static const struct stored_flow *
esp_after(const struct evidence_set *set, const struct stored_packet *sp,
    fp_time until)
{
	const struct stored_flow *first = NULL;

	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];

		if (sf->f.kind == FLOW_ESP && strcmp(sf->file, sp->file) == 0 &&
		    sf->f.first >= sp->p.ts && sf->f.first <= until &&
		    (first == NULL || sf->f.first < first->f.first))
			first = sf;
	}
	return first;
}

/*
 * A capture alone shows a new IKE SA by an IKEv2 IKE_AUTH response after
 * the failover whose SA is then used: a later exchange on its SPI pair,
 * or ESP on an SPI that appears after it (its CHILD SA).  A rejection is
 * a response too, but nothing follows it.
 *
 * NOTE: IKEv1 main and quick mode are not recognised here, so an IKEv1
 * tunnel needs logs to show its new SA.
 */
static void
capture_new_sas(const struct classify_input *in, struct facts *f)
{
	const struct evidence_set *set = in->set;

	if (fact_seen(&f->new_ike) || fact_seen(&f->new_ike_peer))
		return;
	for (size_t i = 0; i < set->n_packets; i++) {
		const struct stored_packet *sp = &set->packets[i];
		const struct stored_flow *child;

		if (sp->p.proto != FP_PKT_IKE || sp->p.ike_version != 2 ||
		    sp->p.exchange != 35 || sp->p.is_response != 1 ||
		    sp->p.ts <= f->failover || sp->p.ts > f->window_end)
			continue;
		child = esp_after(set, sp, f->window_end);
		if (child == NULL && !spi_pair_used_after(set, sp,
		    f->window_end))
			continue;
		f->new_ike.ts = sp->p.ts;
		f->new_ike.packet = sp;
		f->new_ike.count = 1;
		if (child != NULL && !fact_seen(&f->new_child) &&
		    !fact_seen(&f->new_child_peer)) {
			/* The CHILD SA comes with IKE_AUTH. */
			f->new_child = f->new_ike;
		}
		return;
	}
}

void
traffic_facts_collect(const struct classify_input *in, struct facts *f)
{
	const struct evidence_set *set = in->set;

	for (size_t i = 0; i < set->n_flows; i++) {
		if (set->flows[i].f.kind == FLOW_ESP)
			f->captures = 1;
		if (host_is(set->flows[i].capture_host, in->standby))
			f->standby_captures = 1;
	}
	esp_facts(in, f);
	counter_facts(in, f);
	capture_new_sas(in, f);

	/*
	 * A capture alone shows an inherited SA by a response: after the
	 * failover the shared address responded to a request on an IKE SA
	 * negotiated before it, so the unit that took over has that SA.
	 */
	if (!fact_seen(&f->inherited) && f->answered.packet != NULL)
		f->inherited = f->answered;
}
