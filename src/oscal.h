/*
 * NIST OSCAL 1.1.3 exports of a quarterly period: assessment results, a
 * plan of action and milestones (POA&M) for the open defects, and the
 * small catalogue of the procedure's criteria that both reference.
 */
#ifndef FP_OSCAL_H
#define FP_OSCAL_H

#include "quarterly.h"
#include "workspace.h"

#define OSCAL_VERSION "1.1.3"
/* Namespace of failproof's own OSCAL property names. */
#define OSCAL_NS "urn:failproof:oscal"

/* File names written into the output folder. */
#define OSCAL_RESULTS_FILE "assessment-results.json"
#define OSCAL_POAM_FILE "poam.json"
#define OSCAL_CATALOG_FILE "catalog.json"

/*
 * Write the three documents of q into dir (created when missing):
 *
 * - the catalogue: one control per criterion of the procedure;
 * - the assessment results: an observation per evidence file of each
 *   run (SHA-256, collection time), a finding per criterion per run, a
 *   risk per design defect, the reviewers' sign-offs as attestations and
 *   each run's failover timeline as assessment log entries;
 * - the POA&M: one item per defect still open at the end of the period.
 *   OSCAL requires at least one item, so with no open defect no POA&M is
 *   written and *wrote_poam is 0.
 *
 * UUIDs are random (version 4), new on every export.
 */
int oscal_export(struct workspace *ws, const struct quarterly *q,
    const char *dir, int *wrote_poam);

#endif
