/*
 * The PDF rendering of a report: an A4 document for the auditor, written
 * with libharu.  Signing is a separate step (pdf_sign.h) that appends to
 * the file this writes.
 */
#ifndef FP_REPORT_PDF_H
#define FP_REPORT_PDF_H

#include "report.h"

/* Prefix of the PDF Keywords entry, followed by the 40 hex digits of the
 * evidence commit. */
#define REPORT_PDF_COMMIT_KEYWORD "failproof-evidence-commit:"

/*
 * Write the report of one run to path as a PDF, replacing any file there.
 * Optional members of r may be NULL (or FP_TIME_NONE, or -1 for counts of
 * milliseconds).  The document information carries Title, Author
 * "failproof", Creator and Keywords REPORT_PDF_COMMIT_KEYWORD followed by
 * r->evidence_commit.  Returns 0, FP_EINVAL when r->evidence_commit is not
 * 40 hex digits, or FP_EIO when a font is missing or the file cannot be
 * written.
 */
int report_pdf_write(const struct report *r, const char *path);

#endif
