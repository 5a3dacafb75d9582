# failproof: plain Makefile, libraries found with pkg-config.
#
#   make              build ./failproof
#   make check        unit and end-to-end tests, then both again with ASan+UBSan
#   make demo         install missing Debian packages (as root), run examples/
#   make bench        benchmarks against a baseline run in the same script
#   make fuzz         libFuzzer harnesses in build/fuzz/ (needs clang)
#   make install      PREFIX=/usr/local DESTDIR=
#   V=1               show the commands

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/failproof
VERSION := 0.1.0

PKGS := sqlite3 libxml-2.0 libgit2 openssl xmlsec1-openssl libpcap jansson \
	libpcre2-8 poppler-glib
# Wireshark's libwiretap reads pcapng files libpcap rejects; Debian ships
# no pkg-config file for it alone.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) glib-2.0) \
	-I/usr/include/wireshark -DFP_HAVE_WIRETAP
PKG_LIBS := $(shell pkg-config --libs $(PKGS) glib-2.0) -lwiretap -lwsutil \
	-lhpdf -lm

# Required flags come after the user's CFLAGS so they cannot be dropped.
CFLAGS ?= -O2 -g
FP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-DFP_VERSION='"$(VERSION)"' -DFP_DATADIR='"$(DATADIR)"' \
	-Isrc -Iimporters $(PKG_CFLAGS)
FP_CFLAGS_LIB := $(filter-out -Werror,$(FP_CFLAGS))

BUILD ?= build
SRC := $(sort $(wildcard src/*.c) $(wildcard importers/*.c))
OBJ := $(SRC:%.c=$(BUILD)/%.o)
LIBOBJ := $(filter-out $(BUILD)/src/main.o,$(OBJ))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(V),1)
Q :=
else
Q := @
endif

all: failproof

failproof: $(BUILD)/failproof
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/failproof: $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(FP_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(FP_CFLAGS) -o $@ $< $(LIBOBJ) $(PKG_LIBS) -lcmocka

units: $(UNIT_BIN)

# check: the plain build, then the same tests built with ASan+UBSan.
SANITIZE := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

check: failproof units
	$(Q)rm -f build/test-counts
	$(Q)sh tests/run.sh $(BUILD) build/test-counts
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(SANITIZE)" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/failproof units
	$(Q)FP_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/run.sh build-asan build/test-counts
	$(Q)sh tests/summary.sh build/test-counts

check-asan:
	$(Q)mkdir -p build && rm -f build/test-counts
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(SANITIZE)" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/failproof units
	$(Q)FP_SANITIZED=1 sh tests/run.sh build-asan build/test-counts
	$(Q)sh tests/summary.sh build/test-counts

# fuzz: the libFuzzer harnesses of tests/fuzz/ (see its README.md), built
# with clang, ASan and UBSan into build/fuzz/.
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(wildcard tests/fuzz/*.c))
FUZZ_SANITIZE := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined

fuzz:
	$(Q)if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
		    CFLAGS="$(FUZZ_SANITIZE)" fuzz-harnesses; \
	else \
		echo "make fuzz needs clang, which ships libFuzzer:"; \
		echo "  sudo apt-get install clang"; \
		exit 1; \
	fi

fuzz-harnesses: $(FUZZ_BIN)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBOBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(FP_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(LIBOBJ) $(PKG_LIBS)

demo:
	$(Q)sh examples/demo.sh

bench: failproof
	$(Q)sh tests/bench/run.sh

lint:
	$(Q)sh tests/lint.sh

install: failproof
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates \
		$(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(DATADIR)/rules
	install -m 0755 failproof $(DESTDIR)$(BINDIR)/failproof
	install -m 0644 templates/*.xml $(DESTDIR)$(DATADIR)/templates/
	install -m 0644 schema/*.sql schema/*.xsd $(DESTDIR)$(DATADIR)/schema/
	install -m 0644 importers/rules/*.rules $(DESTDIR)$(DATADIR)/rules/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/failproof
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan failproof examples/out

.PHONY: all check check-asan units fuzz fuzz-harnesses demo bench lint \
	install uninstall clean

-include $(OBJ:.o=.d)
