/*
 * Traffic samples derived from capture flows and device counters.  The
 * traffic analysis (traffic.c) judges them like the samples a harness
 * wrote: each covers an interval of one direction of the measured path,
 * with the packets delivered in it, or offered and not delivered.
 *
 * The measured path is a pair of endpoints.  With a harness (ping,
 * iperf3) they are the inner hosts it measured between.  Without one
 * they are the inner hosts of the busiest clear-side flow, or the outer
 * addresses of the busiest ESP tunnel.  A flow or an SA counter is
 * mapped onto a direction of the path by its addresses, by the traffic
 * selectors that counters carry, or by the side of the capture host it
 * was seen on.
 */
#ifndef FP_FLOW_SAMPLES_H
#define FP_FLOW_SAMPLES_H

#include <stddef.h>

#include "store.h"

/* Source names of derived samples, ranked before the harness ones. */
#define SOURCE_CLEAR	"clear"
#define SOURCE_ESP	"esp"
#define SOURCE_COUNTERS	"counters"

struct traffic_path {
	const char *a;		/* "local" (a harness host) matches any */
	const char *b;
	int outer;		/* the endpoints are outer tunnel addresses */
};

struct derived_samples {
	size_t n;
	size_t cap;
	struct stored_sample *v;
};

/* Append a copy of s (its strings are borrowed) with its file. */
void derived_add(struct derived_samples *d, const struct fp_sample *s,
    const char *file);

/*
 * Add an undelivered sample for each silence among the samples from
 * index first on.  A silence is a gap between two deliveries of the same
 * source, file and direction of at least three times their resolution
 * and at least a second.  The time from the failover to the first
 * delivery of a direction that delivered nothing before it is one too.
 * A capture records packets, never the ones that did not come, so a
 * silence of sustained traffic is its evidence of loss.
 */
void derived_add_silences(struct derived_samples *d, size_t first,
    fp_time failover);
void derived_release(struct derived_samples *d);

/*
 * The direction of path that traffic from src to dst measures: 1 for
 * a -> b, 2 for b -> a, 0 when the addresses are not the path's.
 */
int path_direction(const struct traffic_path *p, const char *src,
    const char *dst);

/* An endpoint name that stands for the harness host ("local", ""). */
int endpoint_is_wildcard(const char *e);

/*
 * Is address within one of the space-separated prefixes of list
 * ("192.0.2.0/24 2001:db8::/32"; a bare address is a /32 or /128)?
 */
int address_in_prefixes(const char *address, const char *list);

/*
 * The inner hosts on each side of the gateway a clear-side capture was
 * taken behind, by capture host.  A packet that crossed the tunnel
 * before the capture point has a time to live at least two below the
 * usual initial values (64, 128, 255): both gateways forwarded it.
 * far lists its sources, and near its destinations and the sources of
 * the packets that had not crossed yet.
 */
struct capture_sides {
	const char *host;
	size_t n_far;
	const char **far;
	size_t n_near;
	const char **near;
};

/* Classify a clear flow: 1 crossed the tunnel, 0 did not, -1 unknown. */
int clear_flow_crossed(const struct evidence_set *set,
    const struct stored_flow *sf);
void capture_sides_find(const struct evidence_set *set, const char *host,
    struct capture_sides *out);
void capture_sides_release(struct capture_sides *cs);
int capture_sides_has(const char *const *v, size_t n, const char *address);

/*
 * The capture host's own address in a capture taken on it: the source
 * address of the ESP sent from the MAC address that appears in at least
 * nine of ten packets.  Two hosts that only talk to each other both do.
 * Then the own address is the ESP or IKE endpoint seen with one MAC
 * when the other was seen with several, the units of an HA pair behind
 * a shared address.  NULL when neither rule decides (a capture taken on
 * a link between other hosts, or without link-layer addresses).
 */
const char *capture_own_address(const struct evidence_set *set,
    const char *file);

/* Format an SPI as 8 lower-case hex digits. */
void spi_hex(uint32_t spi, char out[9]);

#endif
