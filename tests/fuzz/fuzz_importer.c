/*
 * A libFuzzer harness for one importer, chosen by kind: the environment
 * variable FP_FUZZ_KIND ("syslog", "pcap", ...), or -DFP_FUZZ_KIND="pcap"
 * at build time for a binary fixed to one kind.
 *
 * Each input is written to a temporary file, because importers read a
 * path, and imported twice: once as a plain import and once with
 * --skip-bad, which reads past bad lines, and --at, which gives counter
 * snapshots without a time one.  The sink accepts every record
 * and checks the contracts of model.h and importer.h on it.  A broken
 * contract aborts, so libFuzzer saves the input as a crash.  The rules:
 *
 *   - run() returns 0 or a negative FP_E* code.  On failure fp_errmsg()
 *     is not empty and names the file by its display name.
 *   - Every detector scores the input between 0 and 100.
 *   - Lines of events, samples, steps and counters, and packet numbers,
 *     are at least 1.
 *   - Packet numbers of a capture increase.  A tshark export gives its
 *     own frame.number column, which is only checked to be positive.
 *   - The lines of syslog and timeline events never go back, because
 *     both importers stream their files line by line.
 *   - Only syslog events and packets may have the time FP_TIME_NONE.
 *     The syslog importer warns about a line without a time stamp, and
 *     the pcap importer about a time out of range.  A pcapng simple
 *     packet block has no time at all.
 *   - String members are NUL-terminated within their buffers.  Those
 *     with a fixed set of values (event kind and direction, step status
 *     and kind, counter tool and direction) hold one of them.
 *   - A step's detail is a JSON object, and its duration is -1 (unknown)
 *     or not negative.
 *
 * The line order of other records is not checked: ping and fping samples
 * are emitted per request and iperf3 ones per interval.  A JUnit or Robot
 * step and a swanctl.conf section are emitted when the element closes,
 * after the elements inside it, and counters when their SA's block ends.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "importer.h"

/* The file name that messages must show, unlike the temporary path. */
#define DISPLAY_NAME "fuzz-input.dat"

/* fp_importer_detect() passes a detector the first 4 KiB of a file. */
#define DETECT_BYTES 4096

/*
 * The run's time, 2026-12-04T19:49:25.750Z, which RFC 3164 years, ping
 * output without -D and swanctl.conf events are based on, and --at.
 */
#define REFERENCE_TIME INT64_C(1796413765750000)

struct check {
	const char *kind;
	int ordered_events;	/* events come in the order of their lines */
	int ordered_packets;	/* packet numbers count up from 1 */
	long last_event_line;
	long last_packet;
};

static const struct fp_importer *importer;
static char input_path[] = "/tmp/fp-fuzz-XXXXXX";
static int input_fd = -1;

static const char *const event_kinds[] = {
	"ike_init_sent", "ike_init_received", "ike_sa_established",
	"ike_sa_deleted", "ike_auth_failed", "proposal_mismatch",
	"cert_invalid", "duplicate_identity", "peer_config_missing",
	"retransmit", "negotiation_timeout", "ike_message",
	"child_sa_established", "child_sa_rekeyed", "child_sa_deleted",
	"dpd_sent", "dpd_timeout", "invalid_spi", "replay_check_failed",
	"nat_detected", "nat_mapping_changed", "ha_failover", "ha_sync",
	"ha_ike_sa_activated", "operator_reset", "tunnel_up", "tunnel_down",
	"failure_injected", "takeover", "failback", "traffic_start",
	"traffic_stop", "note", "config", NULL
};
static const char *const directions[] = { "sent", "received", NULL };
static const char *const step_statuses[] = {
	"passed", "failed", "error", "skipped", NULL
};
static const char *const step_kinds[] = {
	"test", "keyword", "setup", "teardown", "probe", "action",
	"rollback", "experiment", "error", NULL
};
static const char *const counter_tools[] = {
	"swanctl", "xfrm", "xfrm_stat", "cisco", NULL
};
static const char *const counter_directions[] = { "in", "out", NULL };

static void violation(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void
violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_importer: %s: contract broken: ",
	    importer->kind);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * Read every byte of a borrowed string, so that ASan reports one that is
 * not NUL-terminated inside its allocation.  NULL passes when nullable.
 */
static void
check_string(const char *what, const char *s, int nullable)
{
	volatile size_t len;

	if (s == NULL) {
		if (!nullable)
			violation("%s is NULL", what);
		return;
	}
	len = strlen(s);
	(void)len;
}

static void
check_array(const char *what, const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		violation("%s is not NUL-terminated in its %zu bytes", what,
		    size);
}

static void
check_value(const char *what, const char *s, const char *const *allowed,
    int nullable)
{
	check_string(what, s, nullable);
	if (s == NULL)
		return;
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(s, allowed[i]) == 0)
			return;
	violation("%s \"%s\" is not one of the documented values", what, s);
}

static int
check_event(void *ctx, const struct fp_event *ev)
{
	struct check *c = ctx;

	if (ev->line < 1)
		violation("event line %ld is not positive", ev->line);
	if (c->ordered_events && ev->line < c->last_event_line)
		violation("event line %ld after line %ld", ev->line,
		    c->last_event_line);
	c->last_event_line = ev->line;
	if (ev->ts == FP_TIME_NONE && strcmp(c->kind, "syslog") != 0)
		violation("event of line %ld has no time", ev->line);
	check_value("event kind", ev->kind, event_kinds, 0);
	check_value("event direction", ev->direction, directions, 1);
	if (ev->is_response < -1 || ev->is_response > 1)
		violation("event is_response %d", ev->is_response);
	check_string("event host", ev->host, 1);
	check_string("event conn", ev->conn, 1);
	check_string("event local_addr", ev->local_addr, 1);
	check_string("event peer_addr", ev->peer_addr, 1);
	check_string("event local_id", ev->local_id, 1);
	check_string("event peer_id", ev->peer_id, 1);
	check_string("event ike_spi_i", ev->ike_spi_i, 1);
	check_string("event ike_spi_r", ev->ike_spi_r, 1);
	check_string("event spi_in", ev->spi_in, 1);
	check_string("event spi_out", ev->spi_out, 1);
	check_string("event exchange", ev->exchange, 1);
	check_string("event notify", ev->notify, 1);
	check_string("event detail", ev->detail, 1);
	check_string("event message", ev->message, 1);
	check_string("event vendor", ev->vendor, 1);
	return 0;
}

static int
check_sample(void *ctx, const struct fp_sample *s)
{
	(void)ctx;
	if (s->line < 1)
		violation("sample line %ld is not positive", s->line);
	if (s->t_start == FP_TIME_NONE || s->t_end == FP_TIME_NONE)
		violation("sample of line %ld has no time", s->line);
	if (s->t_end < s->t_start)
		violation("sample of line %ld ends before it starts", s->line);
	if (s->both_directions != 0 && s->both_directions != 1)
		violation("sample both_directions %d", s->both_directions);
	check_string("sample source", s->source, 0);
	check_string("sample src", s->src, 1);
	check_string("sample dst", s->dst, 1);
	check_string("sample note", s->note, 1);
	return 0;
}

static int
check_packet(void *ctx, const struct fp_packet *p)
{
	struct check *c = ctx;

	if (p->number < 1)
		violation("packet number %ld is not positive", p->number);
	if (c->ordered_packets && p->number <= c->last_packet)
		violation("packet %ld after packet %ld", p->number,
		    c->last_packet);
	c->last_packet = p->number;
	if ((int)p->proto < FP_PKT_OTHER || p->proto > FP_PKT_TCP)
		violation("packet %ld protocol %d", p->number, (int)p->proto);
	check_array("packet src_mac", p->src_mac, sizeof(p->src_mac));
	check_array("packet dst_mac", p->dst_mac, sizeof(p->dst_mac));
	check_array("packet src", p->src, sizeof(p->src));
	check_array("packet dst", p->dst, sizeof(p->dst));
	check_array("packet ike_spi_i", p->ike_spi_i, sizeof(p->ike_spi_i));
	check_array("packet ike_spi_r", p->ike_spi_r, sizeof(p->ike_spi_r));
	check_array("packet notify", p->notify, sizeof(p->notify));
	return 0;
}

static int
check_step(void *ctx, const struct fp_step *st)
{
	(void)ctx;
	if (st->line < 1)
		violation("step line %ld is not positive", st->line);
	check_string("step name", st->name, 0);
	check_value("step kind", st->kind, step_kinds, 0);
	check_value("step status", st->status, step_statuses, 0);
	if (st->duration < -1)
		violation("step of line %ld has duration %lld", st->line,
		    (long long)st->duration);
	check_string("step suite", st->suite, 1);
	check_string("step zone", st->zone, 1);
	check_string("step message", st->message, 1);
	check_string("step output", st->output, 1);
	check_string("step detail", st->detail, 1);
	if (st->detail != NULL) {
		json_error_t error;
		json_t *detail = json_loads(st->detail, 0, &error);

		if (!json_is_object(detail))
			violation("step of line %ld has detail %s, not a JSON "
			    "object: %s", st->line, st->detail, error.text);
		json_decref(detail);
	}
	return 0;
}

static int
check_counter(void *ctx, const struct fp_counter *k)
{
	(void)ctx;
	if (k->line < 1)
		violation("counter line %ld is not positive", k->line);
	if (k->ts == FP_TIME_NONE)
		violation("counter of line %ld has no time", k->line);
	check_value("counter tool", k->tool, counter_tools, 0);
	check_value("counter direction", k->direction, counter_directions, 1);
	check_string("counter name", k->name, 0);
	check_string("counter host", k->host, 1);
	check_string("counter conn", k->conn, 1);
	check_string("counter spi", k->spi, 1);
	check_string("counter src", k->src, 1);
	check_string("counter dst", k->dst, 1);
	check_string("counter local_ts", k->local_ts, 1);
	check_string("counter remote_ts", k->remote_ts, 1);
	return 0;
}

static void
check_warn(void *ctx, long line, const char *msg)
{
	(void)ctx;
	if (line < 0)
		violation("warning with line %ld", line);
	check_string("warning", msg, 0);
}

static void
check_partial(void *ctx, const char *why)
{
	(void)ctx;
	check_string("partial reason", why, 0);
}

static void
write_input(const uint8_t *data, size_t size)
{
	size_t done = 0;
	ssize_t n;

	if (ftruncate(input_fd, 0) != 0 || lseek(input_fd, 0, SEEK_SET) != 0) {
		perror("fuzz_importer: truncating the input file");
		abort();
	}
	while (done < size) {
		n = write(input_fd, data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("fuzz_importer: writing the input file");
			abort();
		}
		done += (size_t)n;
	}
}

/* Import the input; with_options adds --skip-bad and --at. */
static void
import_once(int with_options)
{
	struct check c = { importer->kind, 0, 0, 0, 0 };
	struct fp_sink sink = { &c, check_event, check_sample, check_packet,
	    check_warn, check_partial, check_step, check_counter };
	struct fp_line_stats stats;
	struct fp_import_opts opts;
	const char *msg;
	int rc;

	c.ordered_events = strcmp(importer->kind, "config") != 0;
	c.ordered_packets = strcmp(importer->kind, "pcap") == 0;
	memset(&stats, 0, sizeof(stats));
	memset(&opts, 0, sizeof(opts));
	opts.display_name = DISPLAY_NAME;
	opts.host = "fuzzhost";
	opts.reference = REFERENCE_TIME;
	opts.skip_bad = with_options;
	opts.at = with_options ? REFERENCE_TIME : 0;
	opts.stats = &stats;

	fp_clear_error();
	rc = importer->run(input_path, &opts, &sink);
	if (rc > 0 || rc < FP_ECRYPTO)
		violation("run returned %d, not 0 or an FP_E* code", rc);
	if (rc != 0) {
		msg = fp_errmsg();
		if (msg[0] == '\0')
			violation("run returned %d without a message", rc);
		if (strstr(msg, DISPLAY_NAME) == NULL)
			violation("the message does not name the file: %s",
			    msg);
	}
	if (stats.n_samples > FP_UNMATCHED_SAMPLES)
		violation("%zu unmatched samples", stats.n_samples);
	for (size_t i = 0; i < stats.n_samples; i++)
		check_array("unmatched sample", stats.sample[i],
		    sizeof(stats.sample[i]));
}

static void
remove_input(void)
{
	unlink(input_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *kind;

	(void)argc;
	(void)argv;
#ifdef FP_FUZZ_KIND
	kind = FP_FUZZ_KIND;
#else
	kind = getenv("FP_FUZZ_KIND");
#endif
	if (kind == NULL || (importer = fp_importer_find(kind)) == NULL) {
		if (kind == NULL)
			fprintf(stderr, "fuzz_importer: FP_FUZZ_KIND is not "
			    "set: set it to one of");
		else
			fprintf(stderr, "fuzz_importer: unknown importer kind "
			    "'%s': set FP_FUZZ_KIND to one of", kind);
		for (size_t i = 0; fp_importers[i] != NULL; i++)
			fprintf(stderr, " %s", fp_importers[i]->kind);
		fputc('\n', stderr);
		exit(2);
	}
	/* The syslog importer loads importers/rules from the source tree. */
	setenv("FAILPROOF_DATADIR", getenv("FP_SRCDIR") != NULL ?
	    getenv("FP_SRCDIR") : ".", 0);
	if ((input_fd = mkstemp(input_path)) < 0) {
		perror("fuzz_importer: creating a temporary file");
		exit(2);
	}
	atexit(remove_input);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t head = size < DETECT_BYTES ? size : DETECT_BYTES;
	int score;

	for (size_t i = 0; fp_importers[i] != NULL; i++) {
		score = fp_importers[i]->detect(data, head);
		if (score < 0 || score > 100)
			violation("the %s detector scored %d",
			    fp_importers[i]->kind, score);
	}
	write_input(data, size);
	import_once(0);
	import_once(1);
	return 0;
}
