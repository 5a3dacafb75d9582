/*
 * Tests of the tshark field-export importer: real exports of corpus
 * captures (tests/data/traffic/README.md gives the commands that made them) give
 * the same packet records as the capture importer on the capture itself,
 * and malformed exports fail with the line and the fix.
 *
 * Run from the top of the source tree, which contains tests/data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer.h"

extern const struct fp_importer fp_importer_tshark;
extern const struct fp_importer fp_importer_pcap;

struct capture {
	struct fp_packet *packets;
	size_t count;
	size_t cap;
	long warnings;
	long first_warning;
	char warning[512];
};

static int
keep_packet(void *ctx, const struct fp_packet *p)
{
	struct capture *c = ctx;

	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->packets = xrealloc(c->packets, c->cap * sizeof(*p));
	}
	c->packets[c->count++] = *p;
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct capture *c = ctx;

	if (c->warnings++ == 0) {
		c->first_warning = line;
		snprintf(c->warning, sizeof(c->warning), "%s", msg);
	}
}

static int
import(const struct fp_importer *imp, const char *path, int skip_bad,
    struct capture *c)
{
	struct fp_import_opts opts;
	struct fp_sink sink;

	memset(c, 0, sizeof(*c));
	memset(&opts, 0, sizeof(opts));
	memset(&sink, 0, sizeof(sink));
	sink.ctx = c;
	sink.packet = keep_packet;
	sink.warn = keep_warning;
	opts.display_name = fp_basename(path);
	opts.skip_bad = skip_bad;
	fp_clear_error();
	return imp->run(path, &opts, &sink);
}

/* Write text to a temporary file; the caller unlinks it. */
static char *
write_temp(const char *text)
{
	char *path = xstrdup("/tmp/fp-tshark-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const struct fp_packet *
by_number(const struct capture *c, long number)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->packets[i].number == number)
			return &c->packets[i];
	return NULL;
}

/* Every record of the export is the capture importer's packet. */
static void
assert_same_packets(const struct capture *export, const struct capture *cap,
    int have_macs)
{
	for (size_t i = 0; i < export->count; i++) {
		const struct fp_packet *a = &export->packets[i];
		const struct fp_packet *b = by_number(cap, a->number);

		assert_non_null(b);
		assert_int_equal(a->ts, b->ts);
		assert_int_equal(a->proto, b->proto == FP_PKT_NAT_KEEPALIVE ?
		    FP_PKT_UDP : b->proto);
		if (a->proto == FP_PKT_OTHER)
			continue;
		assert_string_equal(a->src, b->src);
		assert_string_equal(a->dst, b->dst);
		if (have_macs) {
			assert_string_equal(a->src_mac, b->src_mac);
			assert_string_equal(a->dst_mac, b->dst_mac);
			assert_int_equal(a->ttl, b->ttl);
			assert_int_equal(a->wire_len, b->wire_len);
		}
		if (a->proto == FP_PKT_ESP) {
			assert_int_equal(a->spi, b->spi);
			assert_int_equal(a->seq, b->seq);
			assert_int_equal(a->udp_encap, b->udp_encap);
		} else if (a->proto == FP_PKT_IKE) {
			assert_string_equal(a->ike_spi_i, b->ike_spi_i);
			assert_string_equal(a->ike_spi_r, b->ike_spi_r);
			assert_int_equal(a->exchange, b->exchange);
			assert_int_equal(a->ike_version, b->ike_version);
			if (a->ike_version == 2)
				assert_int_equal(a->is_response,
				    b->is_response);
		}
	}
}

/*
 * The export of drill D's WAN capture with the separator ",".  The ten
 * ICMP errors, whose addresses have two values, are skipped with a
 * warning each, and every other record is the capture's packet.
 */
static void
test_drill_d_export(void **state)
{
	struct capture export, cap;
	size_t esp = 0, ike = 0;

	(void)state;
	assert_int_equal(import(&fp_importer_tshark,
	    "tests/data/traffic/D-peer-wan.tshark.csv", 0, &export), 0);
	assert_int_equal(import(&fp_importer_pcap,
	    "tests/data/drills/D-state-drift-ha-sync/peer-wan.pcap", 0,
	    &cap), 0);
	assert_int_equal(export.count, 4916);
	assert_int_equal(export.warnings, 10);
	assert_non_null(strstr(export.warning, "aggregator"));
	for (size_t i = 0; i < export.count; i++) {
		esp += export.packets[i].proto == FP_PKT_ESP;
		ike += export.packets[i].proto == FP_PKT_IKE;
	}
	/* tshark -Y 'esp && !icmp' and -Y 'isakmp && !icmp' */
	assert_int_equal(esp, 4895);
	assert_int_equal(ike, 8);
	assert_same_packets(&export, &cap, 1);
	free(export.packets);
	free(cap.packets);
}

/* Tab separator, quoted values, another field order, frame.number. */
static void
test_quoted_tab_export(void **state)
{
	struct capture export, cap;
	size_t esp = 0, ike = 0;

	(void)state;
	assert_int_equal(import(&fp_importer_tshark,
	    "tests/data/traffic/isakmp4500.tshark.tsv", 0, &export), 0);
	assert_int_equal(import(&fp_importer_pcap,
	    "tests/data/pcap/tcpdump__isakmp4500.pcap", 0, &cap), 0);
	assert_int_equal(export.count, 35);
	assert_int_equal(export.warnings, 0);
	for (size_t i = 0; i < export.count; i++) {
		esp += export.packets[i].proto == FP_PKT_ESP;
		ike += export.packets[i].proto == FP_PKT_IKE;
	}
	assert_int_equal(esp, 8);
	assert_int_equal(ike, 15);
	assert_same_packets(&export, &cap, 0);
	free(export.packets);
	free(cap.packets);
}

/* With tab separators an ICMP error's two addresses stay in one field:
 * the outer ones are kept, and the quoted ESP does not make it ESP. */
static void
test_icmp_error_quoting_esp(void **state)
{
	struct capture c;
	char *path = write_temp("frame.time_epoch\tip.src\tip.dst\t"
	    "esp.spi\tesp.sequence\ticmp.type\n"
	    "1796413768.759939000\t198.51.100.11,198.51.100.1\t"
	    "198.51.100.1,198.51.100.10\t0x89076de4\t1575\t3\n"
	    "1796413768.798238000\t198.51.100.1\t198.51.100.10\t"
	    "0x4fddda66\t1\t\n");

	(void)state;
	assert_int_equal(import(&fp_importer_tshark, path, 0, &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.packets[0].proto, FP_PKT_ICMP);
	assert_int_equal(c.packets[0].icmp_type, 3);
	assert_string_equal(c.packets[0].src, "198.51.100.11");
	assert_int_equal(c.packets[1].proto, FP_PKT_ESP);
	assert_int_equal(c.packets[1].spi, 0x4fddda66);
	assert_int_equal(c.packets[1].seq, 1);
	assert_int_equal(c.packets[1].ts, 1796413768798238LL);
	assert_int_equal(c.packets[1].number, 2);
	free(c.packets);
	unlink(path);
	free(path);
}

static void
test_header_without_time(void **state)
{
	struct capture c;
	char *path = write_temp("ip.src,ip.dst,esp.spi\n"
	    "198.51.100.1,198.51.100.10,0x1\n");

	(void)state;
	assert_int_equal(import(&fp_importer_tshark, path, 0, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 1"));
	assert_non_null(strstr(fp_errmsg(), "-e frame.time_epoch"));
	free(c.packets);
	unlink(path);
	free(path);
}

/* Every bad line is reported; the import fails on the first one. */
static void
test_bad_lines(void **state)
{
	struct capture c;
	char *path = write_temp("frame.time_epoch\tesp.spi\tesp.sequence\n"
	    "1796413768.1\t0x1\t1\n"
	    "yesterday\t0x1\t2\n"
	    "1796413768.3\tzz\t3\n"
	    "1796413768.4\t0x1\n"
	    "1796413768.5\t0x1\t5\n");

	(void)state;
	assert_int_equal(import(&fp_importer_tshark, path, 0, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 3"));
	assert_non_null(strstr(fp_errmsg(), "frame.time_epoch"));
	assert_non_null(strstr(fp_errmsg(), "3 bad lines"));
	assert_non_null(strstr(fp_errmsg(), "--skip-bad"));
	assert_int_equal(c.warnings, 3);
	free(c.packets);

	/* With --skip-bad the good lines are kept. */
	assert_int_equal(import(&fp_importer_tshark, path, 1, &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.packets[1].seq, 5);
	free(c.packets);
	unlink(path);
	free(path);
}

static void
test_empty_file(void **state)
{
	struct capture c;
	char *path = write_temp("");

	(void)state;
	assert_int_equal(import(&fp_importer_tshark, path, 0, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "empty"));
	free(c.packets);
	unlink(path);
	free(path);
}

static void
test_detect(void **state)
{
	static const char export[] = "frame.time_epoch,ip.src,esp.spi\n1,2,3\n";
	static const char quoted[] = "\"frame.time_epoch\"\t\"esp.spi\"\n";
	static const char csv[] = "time,source,destination\n1,2,3\n";
	static const char no_time[] = "ip.src,ip.dst\n";

	(void)state;
	assert_int_equal(fp_importer_tshark.detect((const unsigned char *)
	    export, sizeof(export) - 1), 100);
	assert_int_equal(fp_importer_tshark.detect((const unsigned char *)
	    quoted, sizeof(quoted) - 1), 100);
	assert_int_equal(fp_importer_tshark.detect((const unsigned char *)
	    csv, sizeof(csv) - 1), 0);
	assert_int_equal(fp_importer_tshark.detect((const unsigned char *)
	    no_time, sizeof(no_time) - 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drill_d_export),
		cmocka_unit_test(test_quoted_tab_export),
		cmocka_unit_test(test_icmp_error_quoting_esp),
		cmocka_unit_test(test_header_without_time),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
