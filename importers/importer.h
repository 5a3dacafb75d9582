/*
 * The interface between the input parsers and the store.
 *
 * An importer reads one file, streaming line and packet formats, and hands
 * each record to the sink.  It never touches the store: the caller wraps
 * the whole file in one transaction, so a failing importer leaves nothing.
 * An importer reports every bad line through sink->warn with its number,
 * then returns FP_EINVAL with a message naming the file, the first bad line
 * and what to do; a record the format allows but the tool cannot use is
 * reported as a warning and skipped.
 */
#ifndef FP_IMPORTER_H
#define FP_IMPORTER_H

#include "../src/model.h"

struct fp_sink {
	void *ctx;
	int (*event)(void *ctx, const struct fp_event *ev);
	int (*sample)(void *ctx, const struct fp_sample *s);
	int (*packet)(void *ctx, const struct fp_packet *p);
	/* A message about one line or packet (0 when none); not fatal. */
	void (*warn)(void *ctx, long line, const char *msg);
	/* The file was imported only in part (a cut capture, say). */
	void (*partial)(void *ctx, const char *why);
	/* A test or experiment step; NULL when the caller stores none. */
	int (*step)(void *ctx, const struct fp_step *st);
	/* An SA or error counter; NULL when the caller stores none. */
	int (*counter)(void *ctx, const struct fp_counter *c);
};

/*
 * Line accounting of a line-oriented importer (syslog), filled in while
 * it reads.  A line that no rule turned into an event is unmatched; the
 * first FP_UNMATCHED_SAMPLES of those that mention IKE, IPsec or HA are
 * kept, cut to FP_UNMATCHED_TEXT - 1 bytes.
 */
#define FP_UNMATCHED_SAMPLES 10
#define FP_UNMATCHED_TEXT 240

struct fp_line_stats {
	long lines;		/* lines read, blank ones included */
	long bad;		/* bad lines (skipped only with skip_bad) */
	long unmatched;		/* message lines that gave no event */
	long unmatched_ike;	/* of those, lines that mention IKE, IPsec or HA */
	long continued;		/* lines that continue the message before */
	long untimed;		/* events from lines without a date and time */
	size_t n_samples;
	long sample_line[FP_UNMATCHED_SAMPLES];
	char sample[FP_UNMATCHED_SAMPLES][FP_UNMATCHED_TEXT];
};

/* A correction added to every time stamp of one host's lines. */
struct fp_clock_offset {
	const char *host;
	fp_time offset;		/* microseconds, negative for a fast clock */
};

struct fp_import_opts {
	const char *display_name;	/* file name used in messages */
	const char *host;		/* --host: host of lines without one */
	const char *tz;			/* --tz: zone of times without one */
	int year;			/* --year, 0 to infer */
	fp_time reference;		/* run date, for RFC 3164 year inference */
	int strict;			/* reject a cut capture */
	const char *const *rule_dirs;	/* extra vendor rule folders, NULL-ended */
	int skip_bad;			/* report bad lines and go on */
	struct fp_line_stats *stats;	/* filled in when not NULL */
	const struct fp_clock_offset *clock_offsets;
	size_t n_clock_offsets;
	const char *markers;		/* --markers: timeline marker file */
	const char *markers_name;	/* its name in messages, or NULL */
	fp_time at;			/* --at: counter snapshot time, 0: none */
};

/* One input kind: name for --kind, detector, parser. */
struct fp_importer {
	const char *kind;
	const char *summary;
	/* Score 0..100 that the first bytes are this kind; 0 means no. */
	int (*detect)(const unsigned char *head, size_t len);
	int (*run)(const char *path, const struct fp_import_opts *opts,
	    struct fp_sink *sink);
};

/* NULL-terminated table of the built-in importers. */
extern const struct fp_importer *const fp_importers[];

const struct fp_importer *fp_importer_find(const char *kind);
/* Pick the importer for a file from its first bytes; NULL when unknown. */
const struct fp_importer *fp_importer_detect(const char *path);

#endif
