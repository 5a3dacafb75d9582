/*
 * The capture importer: reads a pcap or pcapng file one packet record at
 * a time, decodes each packet (pcap_decode.c) and hands it to the sink.
 *
 * Classic pcap is read with libpcap.  pcapng is read with Wireshark's
 * libwiretap when failproof is built with it (FP_HAVE_WIRETAP), because
 * libpcap 1.10 rejects a pcapng file whose interfaces differ in link type
 * or snapshot length, and does not return the interface a packet came
 * from.  Without libwiretap, libpcap reads pcapng as well, with those
 * limits.
 *
 * A capture whose last record is cut short, as a capture process killed
 * during a drill leaves it, keeps its complete packets: the importer calls
 * sink->partial, or fails in strict mode.  Any other damage to the file
 * structure fails the import.  A malformed packet is a warning with its
 * number, and the packet is still passed on with what could be decoded.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#ifdef FP_HAVE_WIRETAP
#include <wiretap/wtap.h>
#include <wsutil/wslog.h>
#endif

#include "importer.h"
#include "pcap_decode.h"

/* First four bytes of a file, read as a big-endian number. */
#define PCAP_MAGIC_USEC		0xa1b2c3d4
#define PCAP_MAGIC_NSEC		0xa1b23c4d
#define PCAP_MAGIC_KUZNETZOV	0xa1b2cd34	/* patched Linux tcpdump */
#define PCAPNG_BLOCK_SHB	0x0a0d0d0a	/* section header block */
#define PCAPNG_BYTE_ORDER	0x1a2b3c4d

#define PCAP_RECORD_HEADER_LEN	16

/* The largest time in seconds that fp_time can hold in microseconds. */
#define MAX_SECONDS		(INT64_MAX / 1000000 - 1)

#define CORRUPT_ADVICE \
	"the file is corrupt; re-export it from the capture tool"

struct reader {
	const char *name;		/* file name for messages */
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	long count;			/* packet records read so far */
	unsigned char *reported;	/* per interface: link type warned */
	size_t nreported;
};

static int detect(const unsigned char *, size_t);
static int run(const char *, const struct fp_import_opts *,
    struct fp_sink *);

const struct fp_importer fp_importer_pcap = {
	"pcap", "packet capture (pcap, pcapng)", detect, run
};

static uint32_t
get32be(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
swap32(uint32_t v)
{
	return (v >> 24) | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

static int
is_pcap_magic(uint32_t magic)
{
	switch (magic) {
	case PCAP_MAGIC_USEC:
	case PCAP_MAGIC_NSEC:
	case PCAP_MAGIC_KUZNETZOV:
		return 1;
	}
	return 0;
}

/*
 * Score the first bytes: a pcap magic number in either byte order with
 * major version 2, or a pcapng section header block with its byte-order
 * magic.
 */
static int
detect(const unsigned char *head, size_t len)
{
	uint32_t magic, order;
	unsigned major;

	if (len < 4)
		return 0;
	magic = get32be(head);
	if (is_pcap_magic(magic) || is_pcap_magic(swap32(magic))) {
		if (len < 6)
			return 50;
		if (is_pcap_magic(magic))
			major = (unsigned)head[4] << 8 | head[5];
		else
			major = (unsigned)head[5] << 8 | head[4];
		return major == 2 ? 100 : 50;
	}
	if (magic == PCAPNG_BLOCK_SHB) {
		/* The block type alone is "\n\r\r\n", which text can hold. */
		if (len < 12)
			return 30;
		order = get32be(head + 8);
		if (order == PCAPNG_BYTE_ORDER || swap32(order) ==
		    PCAPNG_BYTE_ORDER)
			return 100;
	}
	return 0;
}

static void
sink_warn(struct reader *r, long number, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (r->sink->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->sink->warn(r->sink->ctx, number, msg);
}

/*
 * Convert a record's time to microseconds.  A pcapng timestamp has 64
 * bits, so a corrupt one can exceed the range of fp_time.  Such a time is
 * a warning, and the packet gets FP_TIME_NONE.
 */
static fp_time
record_time(struct reader *r, int64_t seconds, long nanoseconds)
{
	if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
		sink_warn(r, r->count, "invalid timestamp: %lld seconds from "
		    "1970 is out of range", (long long)seconds);
		return FP_TIME_NONE;
	}
	return seconds * 1000000 + nanoseconds / 1000;
}

/* Decode one packet record, warn when it is malformed, pass it on. */
static int
emit(struct reader *r, int linktype, unsigned interface, fp_time ts,
    const unsigned char *data, unsigned caplen, unsigned wire_len)
{
	struct fp_packet pkt;

	memset(&pkt, 0, sizeof(pkt));
	pkt.number = r->count;
	pkt.ts = ts;
	pkt.wire_len = wire_len;
	pkt.interface = interface;
	if (fp_pcap_decode(&pkt, linktype, data, caplen) != 0 &&
	    fp_pcap_linktype_supported(linktype))
		sink_warn(r, pkt.number, "%s", fp_errmsg());
	fp_clear_error();
	return r->sink->packet(r->sink->ctx, &pkt);
}

/*
 * Handle a capture cut short in packet r->count + 1, described by `what`:
 * keep the complete packets and mark the import partial, or fail in strict
 * mode.
 */
static int
cut_short(struct reader *r, const char *what)
{
	char kept[80], *message;

	if (r->count == 1)
		snprintf(kept, sizeof(kept), "the complete packet before it");
	else
		snprintf(kept, sizeof(kept), "the %ld complete packets before "
		    "it", r->count);

	if (r->opts->strict && r->count == 0)
		return fp_fail(FP_EINVAL, "'%s' packet 1: %s: the capture was "
		    "cut short before its first complete packet", r->name,
		    what);
	if (r->opts->strict)
		return fp_fail(FP_EINVAL, "'%s' packet %ld: %s: the capture "
		    "was cut short; import it without --strict to keep %s",
		    r->name, r->count + 1, what, kept);
	if (r->sink->partial == NULL)
		return 0;
	if (r->count == 0)
		message = xasprintf("'%s' packet 1: %s: the capture was cut "
		    "short before its first complete packet, so it contains no "
		    "packet", r->name, what);
	else
		message = xasprintf("'%s' packet %ld: %s: the capture was "
		    "cut short; only %s %s imported", r->name, r->count + 1,
		    what, kept, r->count == 1 ? "was" : "were");
	r->sink->partial(r->sink->ctx, message);
	free(message);
	return 0;
}

/*
 * Explain why libpcap could not read the classic pcap record at byte
 * `offset`: a record cut by the end of the file, or a corrupt header.
 * libpcap's own message names neither the offset nor the packet.
 */
static int
explain_pcap_record(struct reader *r, pcap_t *p, FILE *fp, off_t offset,
    int nsec)
{
	unsigned char header[PCAP_RECORD_HEADER_LEN];
	char when[FP_TIME_STRLEN], what[256];
	uint32_t fields[4];
	long long present;
	struct stat st;
	ssize_t got;
	fp_time ts;
	int i;

	if (fstat(fileno(fp), &st) == -1)
		return fp_fail(FP_EIO, "'%s': cannot read: %s", r->name,
		    strerror(errno));
	got = pread(fileno(fp), header, sizeof(header), offset);
	if (got == -1)
		return fp_fail(FP_EIO, "'%s': cannot read: %s", r->name,
		    strerror(errno));
	if (got < PCAP_RECORD_HEADER_LEN) {
		snprintf(what, sizeof(what), "the record header at byte "
		    "offset %lld has %zd of its %d bytes", (long long)offset,
		    got, PCAP_RECORD_HEADER_LEN);
		return cut_short(r, what);
	}

	/* Seconds, fraction, captured length, length on the wire. */
	for (i = 0; i < 4; i++) {
		memcpy(&fields[i], header + 4 * i, sizeof(fields[i]));
		if (pcap_is_swapped(p))
			fields[i] = swap32(fields[i]);
	}
	if (fields[2] > (uint32_t)pcap_snapshot(p))
		return fp_fail(FP_EINVAL, "'%s' packet %ld: record length %u "
		    "exceeds the snapshot length %d: " CORRUPT_ADVICE,
		    r->name, r->count + 1, fields[2], pcap_snapshot(p));

	present = (long long)st.st_size - offset - PCAP_RECORD_HEADER_LEN;
	if (present < fields[2]) {
		ts = (fp_time)fields[0] * 1000000 +
		    (nsec ? fields[1] / 1000 : fields[1]);
		fp_time_format(ts, when, sizeof(when));
		snprintf(what, sizeof(what), "the record at byte offset %lld "
		    "declares %u bytes, %lld are present (its time is %s)",
		    (long long)offset, fields[2], present, when);
		return cut_short(r, what);
	}
	return fp_fail(FP_EINVAL, "'%s' packet %ld at byte offset %lld: "
	    "%s: " CORRUPT_ADVICE, r->name, r->count + 1, (long long)offset,
	    pcap_geterr(p));
}

/*
 * Read the capture open as fp with libpcap, which closes fp.  magic is
 * the file's first four bytes as a big-endian number.
 */
static int
read_libpcap(struct reader *r, FILE *fp, uint32_t magic)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *name, *msg;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p = NULL;
	int error = 0, linktype, rc;
	fp_time ts;
	off_t offset;

	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(fp);
		error = fp_fail(FP_EINVAL, "'%s': invalid capture file "
		    "header: %s: " CORRUPT_ADVICE, r->name, errbuf);
		goto out;
	}
	linktype = pcap_datalink(p);
	if (!fp_pcap_linktype_supported(linktype)) {
		name = pcap_datalink_val_to_name(linktype);
		error = fp_fail(FP_EINVAL, "'%s': link type %s (%d) is not "
		    "supported: capture on an Ethernet, Linux \"any\", raw IP "
		    "or loopback interface", r->name,
		    name != NULL ? name : "unknown", linktype);
		goto out;
	}

	for (;;) {
		offset = ftello(fp);
		rc = pcap_next_ex(p, &hdr, &data);
		if (rc == PCAP_ERROR_BREAK)
			break;		/* end of file */
		if (rc != 1) {
			msg = pcap_geterr(p);
			if (magic != PCAPNG_BLOCK_SHB)
				error = explain_pcap_record(r, p, fp, offset,
				    swap32(magic) == PCAP_MAGIC_NSEC ||
				    magic == PCAP_MAGIC_NSEC);
			else if (strncmp(msg, "truncated", 9) == 0)
				error = cut_short(r, msg);
			else
				error = fp_fail(FP_EINVAL, "'%s' packet %ld: "
				    "libpcap cannot read this pcapng file: "
				    "%s: build failproof with libwiretap to "
				    "read it", r->name, r->count + 1, msg);
			goto out;
		}
		r->count++;
		/* At nanosecond precision, tv_usec contains nanoseconds. */
		ts = record_time(r, hdr->ts.tv_sec, hdr->ts.tv_usec);
		/*
		 * NOTE: libpcap 1.10 does not return the interface of a
		 * pcapng packet: without libwiretap, every packet of a
		 * multi-interface file is reported on interface 0.
		 */
		error = emit(r, linktype, 0, ts, data, hdr->caplen, hdr->len);
		if (error != 0)
			goto out;
	}

out:
	if (p != NULL)
		pcap_close(p);
	return error;
}

#ifdef FP_HAVE_WIRETAP
/* Map a libwiretap encapsulation to the link type that the decoder takes. */
static int
linktype_of_encap(int encap)
{
	switch (encap) {
	case WTAP_ENCAP_ETHERNET:
		return FP_LINKTYPE_ETHERNET;
	case WTAP_ENCAP_SLL:
		return FP_LINKTYPE_LINUX_SLL;
	case WTAP_ENCAP_SLL2:
		return FP_LINKTYPE_LINUX_SLL2;
	case WTAP_ENCAP_RAW_IP:
		return FP_LINKTYPE_RAW;
	case WTAP_ENCAP_RAW_IP4:
		return FP_LINKTYPE_IPV4;
	case WTAP_ENCAP_RAW_IP6:
		return FP_LINKTYPE_IPV6;
	case WTAP_ENCAP_NULL:
		return FP_LINKTYPE_NULL;
	case WTAP_ENCAP_LOOP:
		return FP_LINKTYPE_LOOP;
	}
	return -1;
}

/*
 * Drop libwiretap's log messages: core modules never print, and what
 * matters about a read reaches us through its error code and err_info.
 */
static void
discard_log(const char *domain, enum ws_log_level level,
    struct timespec timestamp, const char *file, long line, const char *func,
    const char *format, va_list ap, void *user_data)
{
	(void)domain;
	(void)level;
	(void)timestamp;
	(void)file;
	(void)line;
	(void)func;
	(void)format;
	(void)ap;
	(void)user_data;
}

/* Warn once per interface whose link type the decoder does not know. */
static void
report_encap(struct reader *r, unsigned interface, int encap)
{
	size_t size;

	if (interface < r->nreported && r->reported[interface])
		return;
	if (interface < 65536 && interface >= r->nreported) {
		size = (size_t)interface + 1;
		r->reported = xrealloc(r->reported, size);
		memset(r->reported + r->nreported, 0, size - r->nreported);
		r->nreported = size;
	}
	if (interface < r->nreported)
		r->reported[interface] = 1;
	sink_warn(r, r->count, "interface %u has the link type %s, which "
	    "failproof does not decode: its packets are imported without "
	    "addresses", interface, wtap_encap_description(encap));
}

/*
 * Return the byte offset that follows the packet block at `offset`, from
 * the block's total length, or -1 when it cannot be read.  libwiretap
 * reports where a good packet block starts but not where the block that
 * failed starts.  A packet block's type (2, 3 or 6) fits in its first
 * byte on a little-endian section and its last byte on a big-endian one.
 */
static long long
block_end(const char *path, long long offset)
{
	unsigned char header[8];
	uint32_t length;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd == -1)
		return -1;
	got = pread(fd, header, sizeof(header), offset);
	close(fd);
	if (got != (ssize_t)sizeof(header))
		return -1;
	if (header[0] != 0)
		length = swap32(get32be(header + 4));
	else
		length = get32be(header + 4);
	return offset + length;
}

/*
 * Turn a libwiretap read error into a cut capture or a corrupt file.
 * last is the byte offset of the last good packet block, or -1.
 */
static int
wiretap_failed(struct reader *r, const char *path, int err,
    const char *err_info, long long last)
{
	const char *cause = err_info != NULL ? err_info : wtap_strerror(err);
	long long start = -1, size = -1;
	char what[512];
	struct stat st;

	if (err > 0)
		return fp_fail(FP_EIO, "'%s': cannot read: %s", r->name,
		    wtap_strerror(err));
	if (last >= 0)
		start = block_end(path, last);
	if (stat(path, &st) == 0)
		size = (long long)st.st_size;

	if (err == WTAP_ERR_SHORT_READ) {
		if (start >= 0 && size >= 0)
			snprintf(what, sizeof(what), "the blocks from byte "
			    "offset %lld on end early: the file ends at byte "
			    "%lld", start, size);
		else if (size >= 0)
			snprintf(what, sizeof(what), "the file ends early, at "
			    "byte %lld", size);
		else
			snprintf(what, sizeof(what), "the file ends early");
		return cut_short(r, what);
	}
	if (start >= 0)
		return fp_fail(FP_EINVAL, "'%s' packet %ld (the blocks from "
		    "byte offset %lld on): %s: " CORRUPT_ADVICE, r->name,
		    r->count + 1, start, cause);
	return fp_fail(FP_EINVAL, "'%s' packet %ld: %s: " CORRUPT_ADVICE,
	    r->name, r->count + 1, cause);
}

/* Read a pcapng file with libwiretap, each packet with its interface. */
static int
read_wiretap(struct reader *r, const char *path)
{
	static int initialised;
	const wtap_packet_header *ph;
	gchar *err_info = NULL;
	gint64 offset, last = -1;
	wtap *wth = NULL;
	wtap_rec rec;
	Buffer buf;
	unsigned interface;
	int err = 0, error = 0, linktype;
	fp_time ts;

	if (!initialised) {
		/*
		 * Without this, libwiretap 4.0 writes a debug line to stderr
		 * for every block it reads.
		 */
		ws_log_init_with_writer("failproof", discard_log, NULL);
		ws_log_set_level(LOG_LEVEL_CRITICAL);
		wtap_init(FALSE);
		initialised = 1;
	}
	wtap_rec_init(&rec);
	ws_buffer_init(&buf, 2048);
	wth = wtap_open_offline(path, open_info_name_to_type("pcapng"), &err,
	    &err_info, FALSE);
	if (wth == NULL) {
		if (err > 0 || err == WTAP_ERR_CANT_OPEN)
			error = fp_fail(FP_EIO, "'%s': cannot open: %s",
			    r->name, wtap_strerror(err));
		else
			error = fp_fail(FP_EINVAL, "'%s': invalid pcapng "
			    "header: %s: " CORRUPT_ADVICE, r->name,
			    err_info != NULL ? err_info : wtap_strerror(err));
		goto out;
	}
	/*
	 * libwiretap 4.0 maps the name "pcapng" to automatic detection, so
	 * a file that only starts like pcapng may open as another format
	 * (NetScreen text, say).  Only a real pcapng file is read here.
	 */
	if (wtap_file_type_subtype(wth) != wtap_pcapng_file_type_subtype()) {
		error = fp_fail(FP_EINVAL, "'%s': not a valid pcapng file "
		    "(libwiretap reads it as %s): " CORRUPT_ADVICE, r->name,
		    wtap_file_type_subtype_description(
		    wtap_file_type_subtype(wth)));
		goto out;
	}

	for (;;) {
		/* A reader may set err_info on a successful read too. */
		g_free(err_info);
		err_info = NULL;
		if (!wtap_read(wth, &rec, &buf, &err, &err_info, &offset)) {
			if (err != 0)
				error = wiretap_failed(r, path, err, err_info,
				    last);
			goto out;
		}
		if (rec.rec_type != REC_TYPE_PACKET) {
			wtap_rec_reset(&rec);
			continue;
		}

		r->count++;
		last = offset;
		ph = &rec.rec_header.packet_header;
		interface = 0;
		if (rec.presence_flags & WTAP_HAS_INTERFACE_ID)
			interface = ph->interface_id;
		ts = FP_TIME_NONE;	/* a simple packet block has none */
		if (rec.presence_flags & WTAP_HAS_TS)
			ts = record_time(r, rec.ts.secs, rec.ts.nsecs);
		linktype = linktype_of_encap(ph->pkt_encap);
		if (linktype < 0)
			report_encap(r, interface, ph->pkt_encap);
		error = emit(r, linktype, interface, ts,
		    ws_buffer_start_ptr(&buf), ph->caplen, ph->len);
		if (error != 0)
			goto out;
		wtap_rec_reset(&rec);
	}

out:
	if (wth != NULL)
		wtap_close(wth);
	ws_buffer_free(&buf);
	wtap_rec_cleanup(&rec);
	g_free(err_info);
	return error;
}
#endif

/*
 * Import the capture at path.  Returns 0 (after sink->partial when the
 * capture was cut short), the first non-zero return of sink->packet, or
 * FP_EINVAL, FP_EIO or FP_ENOTFOUND with a message naming the file.
 */
static int
run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	unsigned char head[4];
	struct reader r;
	FILE *fp = NULL;
	uint32_t magic;
	size_t got;
	int error;

	memset(&r, 0, sizeof(r));
	r.name = opts->display_name != NULL ? opts->display_name :
	    fp_basename(path);
	r.opts = opts;
	r.sink = sink;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		error = fp_fail(errno == ENOENT ? FP_ENOTFOUND : FP_EIO,
		    "'%s': cannot open: %s", r.name, strerror(errno));
		goto out;
	}
	got = fread(head, 1, sizeof(head), fp);
	if (got < sizeof(head)) {
		error = fp_fail(FP_EINVAL, "'%s': not a pcap or pcapng "
		    "capture: the file has only %zu bytes", r.name, got);
		goto out;
	}
	magic = get32be(head);
	if (magic != PCAPNG_BLOCK_SHB && !is_pcap_magic(magic) &&
	    !is_pcap_magic(swap32(magic))) {
		error = fp_fail(FP_EINVAL, "'%s': not a pcap or pcapng "
		    "capture (it starts with %02x %02x %02x %02x): export "
		    "the capture as pcap or pcapng", r.name, head[0], head[1],
		    head[2], head[3]);
		goto out;
	}

#ifdef FP_HAVE_WIRETAP
	if (magic == PCAPNG_BLOCK_SHB) {
		fclose(fp);
		fp = NULL;
		error = read_wiretap(&r, path);
		goto out;
	}
#endif
	rewind(fp);
	error = read_libpcap(&r, fp, magic);
	fp = NULL;		/* closed by read_libpcap */

out:
	if (fp != NULL)
		fclose(fp);
	free(r.reported);
	return error;
}
