/*
 * The evidence a signed report cites: its run, its evidence commit and the
 * SHA-256 of each evidence file, read back from a PDF's Keywords entry or
 * an XML report, so that 'verify' checks the report's own list against
 * the evidence repository instead of trusting the store.
 */
#ifndef FP_REPORT_CITED_H
#define FP_REPORT_CITED_H

#include <stddef.h>

struct report_cited {
	long run;
	char commit[41];
	size_t n;
	char (*sha256)[65];
};

/* Parse "failproof-evidence-commit:HEX failproof-run:N
 * failproof-evidence:SHA,SHA" as report_pdf_write() stores it. */
int report_cited_from_keywords(const char *keywords,
    struct report_cited *out);
/* Read <run id>, <provenance evidence-commit> and <evidence><file sha256>
 * from an XML report (parsed safely, no DOCTYPE, no network). */
int report_cited_from_xml(const char *path, struct report_cited *out);
void report_cited_release(struct report_cited *c);

#endif
