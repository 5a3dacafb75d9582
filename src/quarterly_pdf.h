/*
 * The PDF rendering of the quarterly report, drawn with the helpers of
 * pdf_draw.c.  Signing is a separate step (pdf_sign.h).
 */
#ifndef FP_QUARTERLY_PDF_H
#define FP_QUARTERLY_PDF_H

#include "quarterly.h"

/*
 * Write the quarterly report to path as an A4 PDF, replacing any file
 * there.  The Keywords carry REPORT_PDF_COMMIT_KEYWORD and the head
 * commit of the evidence repository, so 'failproof verify' checks it.
 * Returns 0, FP_EINVAL when q->head_commit is not 40 hex digits, or
 * FP_EIO when a font is missing or the file cannot be written.
 */
int quarterly_pdf_write(const struct quarterly *q, const char *path);

#endif
