/*
 * A sink for importer unit tests that keeps every traffic sample (with
 * copies of its strings) and the first 64 warnings.
 */
#ifndef FP_TEST_SAMPLE_SINK_H
#define FP_TEST_SAMPLE_SINK_H

#include <stdlib.h>
#include <string.h>

#include "model.h"

struct kept_sample {
	struct fp_sample s;
	char *src;
	char *dst;
	char *note;
};

struct collected {
	struct kept_sample *samples;
	size_t count;
	size_t cap;
	long warnings;
	long warning_lines[64];
	char *warning_text[64];
};

static int
keep_sample(void *ctx, const struct fp_sample *s)
{
	struct collected *c = ctx;
	struct kept_sample *k;

	if (c->count == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->samples = xrealloc(c->samples, c->cap * sizeof(*k));
	}
	k = &c->samples[c->count++];
	k->s = *s;
	k->src = s->src ? xstrdup(s->src) : NULL;
	k->dst = s->dst ? xstrdup(s->dst) : NULL;
	k->note = s->note ? xstrdup(s->note) : NULL;
	k->s.src = k->src;
	k->s.dst = k->dst;
	k->s.note = k->note;
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	if (c->warnings < 64) {
		c->warning_lines[c->warnings] = line;
		c->warning_text[c->warnings] = xstrdup(msg);
	}
	c->warnings++;
}

static void
collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->samples[i].src);
		free(c->samples[i].dst);
		free(c->samples[i].note);
	}
	for (long i = 0; i < c->warnings && i < 64; i++)
		free(c->warning_text[i]);
	free(c->samples);
	memset(c, 0, sizeof(*c));
}

#endif
