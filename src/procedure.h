/*
 * The test procedure as data: templates/vpn-ha-failover-test.xml, checked
 * against schema/procedure.xsd on every load.
 */
#ifndef FP_PROCEDURE_H
#define FP_PROCEDURE_H

#include <stddef.h>
#include <stdint.h>

struct procedure_item {
	char *id;
	char *title;
	char *text;
	int number;		/* scenarios only */
	int needs_traffic;	/* criteria only */
	char *kind;		/* criteria only: validation or success */
};

struct procedure {
	char *id;
	char *title;
	char *revision;
	char *change_category;
	char *review_cycle;
	int64_t max_outage_ms;
	int64_t max_spread_ms;	/* MTTR repeatability tolerance, -1: none */
	size_t n_preconditions;
	struct procedure_item *preconditions;
	size_t n_criteria;
	struct procedure_item *criteria;
	size_t n_scenarios;
	struct procedure_item *scenarios;
	char *sha256;		/* of the definition text */
	char *xml;		/* the definition text */
};

/* Load and validate a definition; the default when path is NULL. */
int procedure_load_file(const char *path, struct procedure *out);
/* Load and validate a definition held in memory (as the store keeps it). */
int procedure_load_text(const char *xml, const char *name,
    struct procedure *out);
void procedure_release(struct procedure *p);

const struct procedure_item *procedure_scenario(const struct procedure *p,
    int number);
const struct procedure_item *procedure_criterion(const struct procedure *p,
    const char *id);

#endif
