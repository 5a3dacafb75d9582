/*
 * Reading control-plane facts.  An event counts for a role by the host
 * that logged it.  After the failover the shared address belongs to the
 * standby, so what the peer logs about that address then concerns the
 * standby; what the peer logged before concerns the primary.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts.h"

static int
host_is(const char *host, const char *role)
{
	return host != NULL && role != NULL && strcasecmp(host, role) == 0;
}

static int
kind_is(const struct fp_event *e, const char *kind)
{
	return e->kind != NULL && strcmp(e->kind, kind) == 0;
}

/*
 * A timeline entry: what the harness recorded about the drill, never a
 * device's own log, so it shows nothing about the control plane.
 */
static int
from_timeline(const struct fp_event *e)
{
	static const char *const kinds[] = { "failure_injected", "takeover",
	    "failback", "traffic_start", "traffic_stop", "note" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind_is(e, kinds[i]))
			return 1;
	return 0;
}

static int
dir_is(const struct fp_event *e, const char *dir)
{
	return e->direction != NULL && strcmp(e->direction, dir) == 0;
}

/*
 * Keep the first record of a fact.  The same message from a file with
 * finer time stamps (charon's file log next to RFC 3164 syslog, say)
 * replaces a whole-second one logged within the same second.
 */
static void
note_event(struct fact *f, const struct stored_event *se)
{
	if (f->count++ == 0 || (f->event != NULL &&
	    f->event->whole_seconds && !se->whole_seconds &&
	    se->e.ts - f->ts < 1000000 &&
	    strcmp(se->e.kind, f->event->e.kind) == 0)) {
		f->ts = se->e.ts;
		f->event = se;
	}
}

static void
note_packet(struct fact *f, const struct stored_packet *sp)
{
	if (f->count++ == 0) {
		f->ts = sp->p.ts;
		f->packet = sp;
	}
}

int
fact_seen(const struct fact *f)
{
	return f->count > 0;
}

void
facts_release(struct facts *f)
{
	free(f->data_plane);
	f->data_plane = NULL;
}

void
fact_ref(const struct fact *f, struct ev_refs *refs)
{
	if (f->event != NULL)
		ev_refs_add(refs, f->event->file, "line", f->event->e.line);
	else if (f->packet != NULL)
		ev_refs_add(refs, f->packet->file, "packet",
		    f->packet->p.number);
	else if (f->file != NULL)
		ev_refs_add(refs, f->file, f->unit, f->number);
}

static int
is_answer_exchange(const char *exchange)
{
	return exchange != NULL && (strcmp(exchange, "INFORMATIONAL") == 0 ||
	    strcmp(exchange, "CREATE_CHILD_SA") == 0);
}

static const char *
rejection_cause(const struct fp_event *e)
{
	if (kind_is(e, "cert_invalid"))
		return "certificate-binding";
	if (kind_is(e, "proposal_mismatch"))
		return "proposal-mismatch";
	return "identity-binding";
}

/* Is this event the peer rejecting the standby (after the failover)? */
static int
is_rejection(const struct classify_input *in, const struct fp_event *e)
{
	int peer = host_is(e->host, in->peer);
	int standby = host_is(e->host, in->standby);

	if (kind_is(e, "peer_config_missing") || kind_is(e, "cert_invalid"))
		return peer;
	if (kind_is(e, "ike_auth_failed") || kind_is(e, "proposal_mismatch"))
		return (peer && !dir_is(e, "received")) ||
		    (standby && dir_is(e, "received"));
	return 0;
}

static void
event_after(const struct classify_input *in, const struct stored_event *se,
    struct facts *f)
{
	const struct fp_event *e = &se->e;
	int standby = host_is(e->host, in->standby);
	int peer = host_is(e->host, in->peer);

	if (kind_is(e, "ike_sa_established") && (standby || peer))
		note_event(standby ? &f->new_ike : &f->new_ike_peer, se);
	else if (kind_is(e, "child_sa_established") && (standby || peer))
		note_event(standby ? &f->new_child : &f->new_child_peer, se);
	else if ((kind_is(e, "ha_ike_sa_activated") ||
	    kind_is(e, "ha_failover")) && standby)
		note_event(&f->inherited, se);
	else if (kind_is(e, "ike_message") && e->is_response == 1 &&
	    is_answer_exchange(e->exchange) &&
	    ((standby && dir_is(e, "received")) || (peer && dir_is(e, "sent"))))
		note_event(&f->answered, se);
	else if ((kind_is(e, "retransmit") ||
	    kind_is(e, "negotiation_timeout")) && (standby || peer))
		note_event(&f->unanswered, se);
	else if (kind_is(e, "ike_init_sent") && standby)
		note_event(&f->init_sent, se);
	else if (kind_is(e, "invalid_spi") && (standby || peer))
		note_event(&f->invalid_spi, se);
	else if (kind_is(e, "replay_check_failed") && (standby || peer))
		note_event(&f->replay, se);
	else if (kind_is(e, "nat_mapping_changed") && (standby || peer))
		note_event(&f->nat_change, se);
	else if (kind_is(e, "operator_reset"))
		note_event(&f->operator_reset, se);

	if (is_rejection(in, e)) {
		if (!fact_seen(&f->rejection) ||
		    strcmp(f->rejection_cause, "identity-binding") == 0)
			f->rejection_cause = rejection_cause(e);
		note_event(&f->rejection, se);
	}
	if (peer && (kind_is(e, "dpd_timeout") || kind_is(e, "ike_sa_deleted") ||
	    (kind_is(e, "negotiation_timeout"))))
		note_event(&f->peer_noticed, se);
	if (peer && (kind_is(e, "duplicate_identity") ||
	    kind_is(e, "ike_sa_deleted") || kind_is(e, "child_sa_deleted")))
		note_event(&f->old_removed, se);
}

static void
collect_events(const struct classify_input *in, struct facts *f)
{
	for (size_t i = 0; i < in->set->n_events; i++) {
		const struct stored_event *se = &in->set->events[i];
		const struct fp_event *e = &se->e;

		/* Neither a timeline nor a configuration is a device's log. */
		if (from_timeline(e) || kind_is(e, "config"))
			continue;
		if (host_is(e->host, in->standby))
			f->standby_logs = 1;
		if (host_is(e->host, in->peer))
			f->peer_logs = 1;
		if (host_is(e->host, in->primary))
			f->primary_logs = 1;
		if (e->ts <= f->failover) {
			if (kind_is(e, "ha_sync") &&
			    host_is(e->host, in->standby))
				note_event(&f->ha_sync, se);
			continue;
		}
		if (e->ts > f->window_end)
			continue;
		event_after(in, se, f);
	}
	/* A takeover counts as an inherited SA only after state sync. */
	if (!fact_seen(&f->ha_sync) && fact_seen(&f->inherited) &&
	    f->inherited.event != NULL &&
	    !kind_is(&f->inherited.event->e, "ha_ike_sa_activated"))
		memset(&f->inherited, 0, sizeof(f->inherited));
}

/* IKE SPI pairs seen before the failover: SAs the standby may inherit. */
static int
spi_known_before(const struct evidence_set *set, const struct fp_packet *p,
    fp_time failover)
{
	for (size_t i = 0; i < set->n_packets; i++) {
		const struct fp_packet *q = &set->packets[i].p;

		if (q->ts > failover)
			break;
		if (q->proto == FP_PKT_IKE &&
		    strcmp(q->ike_spi_i, p->ike_spi_i) == 0 &&
		    strcmp(q->ike_spi_r, p->ike_spi_r) == 0)
			return 1;
	}
	return 0;
}

static void
collect_packets(const struct classify_input *in, struct facts *f)
{
	const struct evidence_set *set = in->set;

	for (size_t i = 0; i < set->n_packets; i++) {
		const struct stored_packet *sp = &set->packets[i];
		const struct fp_packet *p = &sp->p;

		if (p->proto == FP_PKT_IKE || p->proto == FP_PKT_ESP)
			f->captures = 1;
		if (host_is(sp->capture_host, in->standby))
			f->standby_captures = 1;
		if (p->ts <= f->failover || p->ts > f->window_end)
			continue;
		/* IKEv2 INFORMATIONAL (37) or CREATE_CHILD_SA (36) responses. */
		if (p->proto == FP_PKT_IKE && p->ike_version == 2 &&
		    p->is_response == 1 && (p->exchange == 36 ||
		    p->exchange == 37) && spi_known_before(set, p, f->failover))
			note_packet(&f->answered, sp);
	}
}

void
facts_collect(const struct classify_input *in, fp_time window_end,
    struct facts *out)
{
	memset(out, 0, sizeof(*out));
	out->failover = in->failover;
	out->window_end = window_end;
	collect_events(in, out);
	collect_packets(in, out);
	traffic_facts_collect(in, out);
	/* The standby's own record is preferred.  Without it, the peer's
	 * record of the shared address after the failover is used. */
	if (!fact_seen(&out->new_ike))
		out->new_ike = out->new_ike_peer;
	if (!fact_seen(&out->new_child))
		out->new_child = out->new_child_peer;
}
