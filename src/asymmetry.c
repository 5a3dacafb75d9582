/*
 * Asymmetric routing after a failover (see asymmetry.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asymmetry.h"
#include "esp_flows.h"
#include "sa_counters.h"

/* The directions one unit carried after the failover. */
struct unit_view {
	const char *host;
	int seen;		/* the evidence covers this unit */
	int in;
	int out;
	const char *unit;	/* the records that show each: "line", ... */
	long in_number;
	long out_number;
	const char *in_file;
	const char *out_file;
};

static void
from_counters(const struct evidence_set *set, const char *host,
    fp_time since, struct unit_view *u)
{
	struct unit_counters uc;

	memset(u, 0, sizeof(*u));
	u->host = host;
	counters_of_unit(set, host, since, &uc);
	if (uc.readings == 0)
		return;
	u->seen = 1;
	u->unit = "line";
	u->in = uc.in_moved;
	u->out = uc.out_moved;
	if (uc.in_ref != NULL) {
		u->in_file = uc.in_ref->file;
		u->in_number = uc.in_ref->c.line;
	}
	if (uc.out_ref != NULL) {
		u->out_file = uc.out_ref->file;
		u->out_number = uc.out_ref->c.line;
	}
}

/* ESP sent and received in the captures taken on host after since. */
static void
from_captures(const struct evidence_set *set, const char *host,
    fp_time since, struct unit_view *u)
{
	memset(u, 0, sizeof(*u));
	u->host = host;
	u->unit = "packet";
	for (size_t i = 0; host != NULL && i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];
		const char *own;

		if (sf->f.kind != FLOW_ESP || sf->capture_host == NULL ||
		    strcasecmp(sf->capture_host, host) != 0)
			continue;
		u->seen = 1;
		if (sf->f.last <= since ||
		    (own = capture_own_address(set, sf->file)) == NULL)
			continue;
		if (strcmp(sf->f.dst, own) == 0 && !u->in) {
			u->in = 1;
			u->in_file = sf->file;
			u->in_number = sf->f.last_packet;
		} else if (strcmp(sf->f.src, own) == 0 && !u->out) {
			u->out = 1;
			u->out_file = sf->file;
			u->out_number = sf->f.last_packet;
		}
	}
}

static void
cite(struct asymmetry *a, const struct unit_view *u, int in)
{
	const char *file = in ? u->in_file : u->out_file;

	if (file != NULL)
		ev_refs_add(&a->refs, file, u->unit, in ? u->in_number :
		    u->out_number);
}

/* Judge from what the two units carried; 0 when it does not decide. */
static int
judge_units(const struct unit_view *primary, const struct unit_view *standby,
    const char *what, struct asymmetry *a)
{
	if (!standby->seen)
		return 0;
	if (primary->seen && ((primary->in && standby->out && !standby->in) ||
	    (primary->out && standby->in && !standby->out))) {
		a->result = "fail";
		a->reason = xasprintf("after the failover traffic leaves by "
		    "one unit and returns by the other (%s): %s carried %s, "
		    "%s carried %s", what, primary->host, primary->in ?
		    "inbound ESP" : "outbound ESP", standby->host,
		    standby->in ? "inbound ESP" : "outbound ESP");
		cite(a, primary, primary->in);
		cite(a, standby, standby->in);
		return 1;
	}
	if (standby->in != standby->out && !(primary->seen &&
	    (primary->in || primary->out))) {
		a->result = "fail";
		a->reason = xasprintf("after the failover the standby %s "
		    "carried one direction only (%s): %s ESP moved, %s did "
		    "not", standby->host, what, standby->in ? "inbound" :
		    "outbound", standby->in ? "outbound" : "inbound");
		cite(a, standby, standby->in);
		return 1;
	}
	if (standby->in && standby->out && primary->seen && !primary->in &&
	    !primary->out) {
		a->result = "pass";
		a->reason = xasprintf("after the failover the standby %s "
		    "carried both directions and the primary %s neither (%s)",
		    standby->host, primary->host, what);
		cite(a, standby, 1);
		cite(a, standby, 0);
		return 1;
	}
	return 0;
}

/* Two MACs for one address after recovery, seen from a third host. */
static int
judge_macs(const struct evidence_set *set, fp_time since,
    struct asymmetry *a)
{
	struct esp_units units[8];
	size_t n = esp_units_after(set, since, units, 8);

	for (size_t i = 0; i < n; i++) {
		const struct esp_units *u = &units[i];

		if (u->to_mac[0] == '\0' || u->from_mac[0] == '\0' ||
		    strcmp(u->to_mac, "*") == 0 ||
		    strcmp(u->from_mac, "*") == 0 ||
		    strcmp(u->to_mac, u->from_mac) == 0)
			continue;
		a->result = "fail";
		a->reason = xasprintf("after the failover ESP to %s goes to "
		    "MAC %s while ESP from it comes from MAC %s: two units "
		    "carry the tunnel (%s)", u->address, u->to_mac,
		    u->from_mac, u->file);
		ev_refs_add(&a->refs, u->file, "packet", u->to_packet);
		ev_refs_add(&a->refs, u->file, "packet", u->from_packet);
		return 1;
	}
	return 0;
}

void
asymmetry_judge(const struct classify_input *in,
    const struct traffic_analysis *ta, struct asymmetry *out)
{
	struct unit_view primary, standby;
	fp_time since = ta->recovered ? ta->recovered_at : in->failover;

	memset(out, 0, sizeof(*out));
	from_counters(in->set, in->primary, in->failover, &primary);
	from_counters(in->set, in->standby, in->failover, &standby);
	if (judge_units(&primary, &standby, "SA counters", out))
		return;
	from_captures(in->set, in->primary, since, &primary);
	from_captures(in->set, in->standby, since, &standby);
	if (judge_units(&primary, &standby, "captures on the units", out))
		return;
	judge_macs(in->set, since, out);
}
