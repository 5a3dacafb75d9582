/*
 * Preconditions and findings from imported configurations (events of
 * kind "config"): whether the IKE and CHILD SA lifetimes of the HA units
 * and of the peer are aligned, and what the DPD timers are.
 *
 * Settings a file leaves out take strongSwan's defaults, as documented in
 * swanctl.conf(5) of strongSwan 5.9.8: IKE rekey_time 4h, reauth_time 0
 * (off), over_time 10% of the longer of the two; CHILD rekey_time 1h,
 * life_time rekey_time + 10%; dpd_delay 0 (off).  The IKE SA's hard
 * lifetime is then max(rekey_time, reauth_time) + over_time.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify_internal.h"

/* A setting's value in seconds, and whether the file stated it. */
struct setting {
	long long seconds;
	int stated;
};

/* The timers of one host's connection, with defaults applied. */
struct conn_timers {
	const char *host;
	const struct stored_event *ike;
	const struct stored_event *child;
	struct setting ike_rekey;
	struct setting ike_reauth;
	struct setting ike_over;
	long long ike_life;
	struct setting child_rekey;
	struct setting child_life;
	struct setting dpd_delay;
};

static int
is_config(const struct fp_event *e, const char *scope)
{
	char want[32];

	if (e->kind == NULL || strcmp(e->kind, "config") != 0 ||
	    e->detail == NULL)
		return 0;
	snprintf(want, sizeof(want), "scope=%s", scope);
	return strncmp(e->detail, want, strlen(want)) == 0;
}

/* Copy the value of key from "k=v k=v" text into buf; 0 when absent. */
static int
detail_get(const char *detail, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = detail; p != NULL && *p; ) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(buf, size, "%.*s", (int)(len - klen - 1),
			    p + klen + 1);
			return 1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* strongSwan's time format: seconds, or a number with s, m, h or d. */
static int
parse_seconds(const char *text, long long *out)
{
	char *end;
	long long n = strtoll(text, &end, 10);

	if (end == text || n < 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		n *= 60;
		break;
	case 'h':
		n *= 3600;
		break;
	case 'd':
		n *= 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	*out = n;
	return 0;
}

static void
read_setting(const struct fp_event *e, const char *key, long long dflt,
    struct setting *out)
{
	char buf[64];

	out->seconds = dflt;
	out->stated = 0;
	if (e != NULL && detail_get(e->detail, key, buf, sizeof(buf)) &&
	    parse_seconds(buf, &out->seconds) == 0)
		out->stated = 1;
}

static int
host_is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* The first connection the host's configuration holds, with its child. */
static int
load_timers(const struct evidence_set *set, const char *host,
    struct conn_timers *t)
{
	long long longer;

	memset(t, 0, sizeof(*t));
	t->host = host;
	for (size_t i = 0; i < set->n_events; i++) {
		const struct stored_event *se = &set->events[i];

		if (!host_is(se->e.host, host))
			continue;
		if (t->ike == NULL && is_config(&se->e, "ike"))
			t->ike = se;
		else if (t->child == NULL && is_config(&se->e, "child"))
			t->child = se;
	}
	if (t->ike == NULL)
		return 0;
	if (t->child != NULL && t->child->e.conn != NULL &&
	    t->ike->e.conn != NULL && strcmp(t->child->e.conn,
	    t->ike->e.conn) != 0)
		t->child = NULL;
	read_setting(&t->ike->e, "rekey_time", 4 * 3600, &t->ike_rekey);
	read_setting(&t->ike->e, "reauth_time", 0, &t->ike_reauth);
	longer = t->ike_rekey.seconds > t->ike_reauth.seconds ?
	    t->ike_rekey.seconds : t->ike_reauth.seconds;
	read_setting(&t->ike->e, "over_time", longer / 10, &t->ike_over);
	t->ike_life = longer + t->ike_over.seconds;
	read_setting(&t->ike->e, "dpd_delay", 0, &t->dpd_delay);
	read_setting(t->child ? &t->child->e : NULL, "rekey_time", 3600,
	    &t->child_rekey);
	read_setting(t->child ? &t->child->e : NULL, "life_time",
	    t->child_rekey.seconds + t->child_rekey.seconds / 10,
	    &t->child_life);
	return 1;
}

/* "4h24m", "1h6m", "300s": hours and minutes, seconds below 10 min. */
static void
put_duration(struct fp_buf *b, long long s)
{
	if (s < 600 || s % 60 != 0) {
		fp_buf_printf(b, "%llds", s);
		return;
	}
	if (s >= 3600)
		fp_buf_printf(b, "%lldh", s / 3600);
	if (s % 3600 != 0)
		fp_buf_printf(b, "%lldm", s % 3600 / 60);
}

static void
config_refs(const struct conn_timers *t, size_t n, struct ev_refs *refs)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].ike != NULL)
			ev_refs_add(refs, t[i].ike->file, "line",
			    t[i].ike->e.line);
		if (t[i].child != NULL)
			ev_refs_add(refs, t[i].child->file, "line",
			    t[i].child->e.line);
	}
}

static struct ev_judgement *
add_precondition(const struct classify_input *in, struct evaluation *ev,
    const char *result, char *reason)
{
	struct ev_judgement *j = &ev->preconditions[ev->n_preconditions++];

	j->id = "lifetimes-aligned";
	j->title = j->id;
	for (size_t i = 0; i < in->procedure->n_preconditions; i++)
		if (strcmp(in->procedure->preconditions[i].id, j->id) == 0)
			j->title = in->procedure->preconditions[i].title;
	j->result = result;
	j->reason = reason;
	return j;
}

static void
add_finding(struct evaluation *ev, const char *id, char *text)
{
	if (ev->n_findings == sizeof(ev->findings) / sizeof(ev->findings[0])) {
		free(text);
		return;
	}
	ev->findings[ev->n_findings].id = id;
	ev->findings[ev->n_findings].text = text;
	ev->n_findings++;
}

/* The HA units (primary, standby) and the peer with a configuration. */
static size_t
collect(const struct classify_input *in, struct conn_timers t[3],
    int *have_peer, int *have_unit, struct fp_buf *missing)
{
	const char *hosts[3] = { in->primary, in->standby, in->peer };
	size_t n = 0;

	*have_peer = *have_unit = 0;
	for (int i = 0; i < 3; i++) {
		if (hosts[i] == NULL)
			continue;
		if (load_timers(in->set, hosts[i], &t[n])) {
			if (i == 2)
				*have_peer = 1;
			else
				*have_unit = 1;
			n++;
		} else {
			fp_buf_printf(missing, "%s%s", missing->len ? ", " : "",
			    hosts[i]);
		}
	}
	return n;
}

static int
same_lifetimes(const struct conn_timers *a, const struct conn_timers *b)
{
	return a->ike_rekey.seconds == b->ike_rekey.seconds &&
	    a->ike_life == b->ike_life &&
	    a->child_rekey.seconds == b->child_rekey.seconds &&
	    a->child_life.seconds == b->child_life.seconds;
}

static void
put_lifetimes(struct fp_buf *b, const struct conn_timers *t)
{
	fp_buf_puts(b, "IKE rekey ");
	put_duration(b, t->ike_rekey.seconds);
	fp_buf_puts(b, ", lifetime ");
	put_duration(b, t->ike_life);
	fp_buf_puts(b, "; CHILD rekey ");
	put_duration(b, t->child_rekey.seconds);
	fp_buf_puts(b, ", lifetime ");
	put_duration(b, t->child_life.seconds);
}

void
judge_lifetimes(const struct classify_input *in, struct evaluation *ev)
{
	struct conn_timers t[3];
	struct fp_buf missing = { 0 }, text = { 0 };
	struct ev_judgement *j;
	int have_peer, have_unit, aligned = 1;
	size_t n;

	n = collect(in, t, &have_peer, &have_unit, &missing);
	if (n == 0) {
		add_precondition(in, ev, "undetermined", xstrdup("no "
		    "configuration of either side was imported"));
		goto out;
	}
	if (!have_peer || !have_unit) {
		j = add_precondition(in, ev, "undetermined", xasprintf("no "
		    "configuration imported from %s: both sides are needed",
		    missing.data));
		config_refs(t, n, &j->refs);
		goto out;
	}
	for (size_t i = 1; i < n; i++)
		if (!same_lifetimes(&t[0], &t[i]))
			aligned = 0;
	for (size_t i = 0; i < n; i++) {
		fp_buf_printf(&text, "%s%s: ", i ? "; " : "", t[i].host);
		put_lifetimes(&text, &t[i]);
	}
	if (aligned)
		j = add_precondition(in, ev, "met", xasprintf("the same "
		    "lifetimes on every side (%s)%s%s", text.data,
		    missing.len ? "; no configuration from " : "",
		    missing.len ? missing.data : ""));
	else
		j = add_precondition(in, ev, "not-met", xasprintf("the "
		    "lifetimes differ: %s", text.data));
	config_refs(t, n, &j->refs);
out:
	fp_buf_free(&missing);
	fp_buf_free(&text);
}

/* The settings a host left to strongSwan's defaults. */
static void
put_defaults(struct fp_buf *b, const struct conn_timers *t)
{
	const struct {
		const char *name;
		const struct setting *s;
	} items[] = {
		{ "IKE rekey_time", &t->ike_rekey },
		{ "IKE over_time", &t->ike_over },
		{ "CHILD rekey_time", &t->child_rekey },
		{ "CHILD life_time", &t->child_life },
		{ "dpd_delay", &t->dpd_delay },
	};
	int first = 1;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (items[i].s->stated)
			continue;
		fp_buf_printf(b, "%s%s%s ", b->len && first ? "; " : "",
		    first ? t->host : "", first ? ":" : ",");
		fp_buf_printf(b, "%s ", items[i].name);
		put_duration(b, items[i].s->seconds);
		first = 0;
	}
}

void
note_timers(const struct classify_input *in, struct evaluation *ev)
{
	struct conn_timers t[3];
	struct fp_buf missing = { 0 }, defaults = { 0 }, dpd = { 0 };
	int have_peer, have_unit, dpd_differs = 0;
	size_t n;

	n = collect(in, t, &have_peer, &have_unit, &missing);
	if (n == 0) {
		add_finding(ev, "timers-not-validated", xstrdup("No "
		    "configuration evidence for IKE and IPsec lifetimes or DPD "
		    "timers was imported for either side: vendor default "
		    "timers are not validated."));
		goto out;
	}
	if (!have_peer || !have_unit) {
		add_finding(ev, "timers-not-validated", xasprintf("No "
		    "configuration was imported from %s: the timers of that "
		    "side are not validated.", missing.data));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		put_defaults(&defaults, &t[i]);
		fp_buf_printf(&dpd, "%s%s ", i ? ", " : "", t[i].host);
		put_duration(&dpd, t[i].dpd_delay.seconds);
		if (t[i].dpd_delay.seconds != t[0].dpd_delay.seconds)
			dpd_differs = 1;
	}
	add_finding(ev, "timers-validated", xasprintf("Lifetimes and DPD "
	    "timers were validated from the imported configurations (DPD "
	    "delay %s)%s%s.", dpd.data, defaults.len ? "; strongSwan "
	    "defaults relied on: " : "", defaults.len ? defaults.data : ""));
	if (dpd_differs)
		add_finding(ev, "dpd-timers-differ", xasprintf("The DPD delay "
		    "differs between the sides (%s): the side with the longer "
		    "delay, or with DPD off (0s), notices a dead unit later.",
		    dpd.data));
out:
	fp_buf_free(&missing);
	fp_buf_free(&defaults);
	fp_buf_free(&dpd);
}
