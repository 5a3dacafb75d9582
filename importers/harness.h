/*
 * Helpers shared by the harness importers (JUnit, Robot Framework, Chaos
 * Toolkit, timeline): times written without a zone, and the safe loading
 * of whole JSON and XML documents.
 *
 * XML is read with network access off and without loading or expanding
 * entities, and a document with a DOCTYPE is rejected before libxml2
 * parses it, so no entity declaration is ever read.  JSON goes through
 * jansson after a size check and a nesting-depth check.  Every parse
 * error names the file, the line and the column.
 */
#ifndef FP_HARNESS_H
#define FP_HARNESS_H

#include <stddef.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "importer.h"

/* The zone of times written without one: --tz, UTC by default. */
struct harness_zone {
	const char *name;	/* "UTC" or the --tz value */
	int utc;
	int active;		/* TZ was changed and must be restored */
	char *saved;		/* the caller's TZ, NULL when it was unset */
	int used;		/* a time without a zone was converted */
};

/* Select tz (NULL for UTC); fails on a zone the system does not know. */
int harness_zone_begin(struct harness_zone *z, const char *tz);
void harness_zone_end(struct harness_zone *z);
/* Convert civil time in the zone, encoded as if it were UTC, to UTC. */
int harness_zone_to_utc(struct harness_zone *z, fp_time civil,
    fp_time *out);

/*
 * Parse an ISO 8601 date-time at s, as fp_time_parse_iso does.  A time
 * without a zone is civil time in z.  Returns the characters consumed, 0
 * when s is not such a date-time.  *zoned is 1 when s had a zone.
 */
size_t harness_parse_time(struct harness_zone *z, const char *s,
    fp_time *out, int *zoned);

/* The zone's name: the --tz value, or "UTC". */
const char *harness_zone_note(struct harness_zone *z);

/* Read a whole file of at most limit bytes; NUL bytes are rejected. */
int harness_read(const char *path, const char *name, size_t limit,
    char **data, size_t *len);

/*
 * Parse a JSON document whose objects and arrays nest at most max_depth
 * deep.  On failure the message names the line and column.
 */
int harness_json_parse(const char *data, size_t len, const char *name,
    int max_depth, json_t **out);

/* The 1-based line of byte offset off in data. */
long harness_line_at(const char *data, size_t len, size_t off);

/*
 * Reject an XML document that declares a DOCTYPE, or whose encoding this
 * check cannot read (only UTF-8 and ASCII are accepted), naming the line
 * and column.
 */
int harness_xml_check_prolog(const char *data, size_t len, const char *name);

/* Parse a whole XML document safely (see the top of this file). */
int harness_xml_parse(const char *data, size_t len, const char *name,
    xmlDoc **out);

/* libxml2's parser options for the harness importers. */
int harness_xml_options(void);

/*
 * The name of the root element of an XML document in head (which may be
 * cut short), in buf; 0 when found.  For the detectors.
 */
int harness_xml_root_name(const unsigned char *head, size_t len, char *buf,
    size_t size);

/* Copy s cut to max bytes, marking the cut; NULL stays NULL. */
char *harness_cut(const char *s, size_t max);

#endif
