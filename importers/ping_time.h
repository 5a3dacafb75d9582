/* The "[epoch.fraction] " time stamp that ping -D and fping -D print. */
#ifndef FP_PING_TIME_H
#define FP_PING_TIME_H

#include <stddef.h>

#include "../src/util.h"

/*
 * Parse a bracketed epoch time such as "[1796413753.157384] " at p, with
 * up to nine fraction digits (kept to the microsecond), and the blanks
 * after it.  Returns the length parsed, or 0 when p does not start with
 * one.
 */
size_t ping_time_parse(const char *p, fp_time *out);

#endif
