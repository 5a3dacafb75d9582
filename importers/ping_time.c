/* The -D time stamp shared by the ping and fping importers. */
#include <ctype.h>
#include <stdint.h>

#include "ping_time.h"

#define USEC_PER_SEC 1000000

size_t
ping_time_parse(const char *p, fp_time *out)
{
	const char *q = p + 1;
	int64_t secs = 0, us = 0;
	int frac = 0;

	if (*p != '[' || !isdigit((unsigned char)*q))
		return 0;
	while (isdigit((unsigned char)*q)) {
		if (secs > INT64_MAX / 10 / USEC_PER_SEC)
			return 0;
		secs = secs * 10 + (*q++ - '0');
	}
	if (*q == '.') {
		for (q++; isdigit((unsigned char)*q); q++) {
			if (frac < 6)
				us = us * 10 + (*q - '0');
			frac++;
		}
		if (frac == 0 || frac > 9)
			return 0;
		for (int i = frac; i < 6; i++)
			us *= 10;
	}
	if (*q != ']')
		return 0;
	for (q++; *q == ' '; q++)
		;
	*out = secs * USEC_PER_SEC + us;
	return (size_t)(q - p);
}
