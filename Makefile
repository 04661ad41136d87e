# Otklik - build, run and test.
#
#   make run      build, start PostgreSQL, the workers and nginx in the foreground
#   make start    the same stack in the background;  make stop  stops it
#   make test     unit tests and integration tests (sanitizer build) against a
#                 private stack on free ports
#   make cluster  the same on several hosts in network namespaces (root);
#                 make cluster-stop
#   make fuzz     each libFuzzer harness of tests/fuzz/ for FUZZ_SECONDS (default 60)
#   make install  PREFIX (default /usr/local), DESTDIR; make uninstall
#   make deb      the Debian package in build/deb/, checked with lintian
#
# FLAVOUR=release (default, bin/), FLAVOUR=asan (build/asan/bin/: AddressSanitizer,
# UndefinedBehaviorSanitizer, every arena allocation through malloc) or
# FLAVOUR=fuzz (build/fuzz/: the same with clang and libFuzzer's coverage).

FLAVOUR ?= release
CC      ?= cc
PKGS    := libpq jansson libjwt libcurl openssl libjpeg libpng libxml-2.0 xlsxwriter
WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
           -Wpointer-arith -Wcast-qual -Wsign-compare -Wformat=2 -Wno-missing-field-initializers
BASE    := -std=c11 -D_GNU_SOURCE -pthread -Icore -MMD -MP

ifeq ($(FLAVOUR),asan)
OUT     := build/asan
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=all -DOK_ARENA_MALLOC
BIN     := $(OUT)/bin
else ifeq ($(FLAVOUR),fuzz)
CC      := clang
OUT     := build/fuzz
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
           -fno-sanitize-recover=all -DOK_ARENA_MALLOC
BIN     := $(OUT)/bin
else
OUT     := build/release
OPT     := -O2 -g
BIN     := bin
endif

# The workers use two fields of fcgi2's FCGX_Request its header marks internal
# (core/ok_fcgi.h): build only against the version they were checked with.
FCGI_VERSION := $(shell dpkg-query -W -f='$${Version}' libfcgi-dev 2>/dev/null)
ifeq ($(FCGI_VERSION),)
$(warning libfcgi-dev's version is unknown (no dpkg): core/ok_fcgi.c's layout checks still apply)
else ifeq ($(filter 2.4.2-%,$(FCGI_VERSION)),)
$(error libfcgi-dev $(FCGI_VERSION) is not 2.4.2: read core/ok_fcgi.h before building)
endif

CFLAGS  += $(BASE) $(WARN) $(OPT) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += -lfcgi -lcsv $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDFLAGS += $(filter -fsanitize=%,$(OPT)) -pthread -Wl,--as-needed

# the version every program prints (--version, /healthz, /metrics): git describe,
# the commit alone in a clone without tags, "unknown" outside git. Written to
# $(OUT)/version only when it changed, so that ok_version.o is rebuilt then alone.
OK_VERSION := $(or $(shell git describe --always --dirty 2>/dev/null),unknown)
$(shell mkdir -p $(OUT) && [ "$$(cat $(OUT)/version 2>/dev/null)" = '$(OK_VERSION)' ] || \
  printf '%s' '$(OK_VERSION)' >$(OUT)/version)
$(OUT)/core/ok_version.o: $(OUT)/version
$(OUT)/core/ok_version.o: CFLAGS += -DOK_VERSION='"$(OK_VERSION)"'

# where make install puts things (README.md, "Installing"); the programs find
# their files there unless the environment says otherwise (OTKLIK_SQL_DIR, ...):
# compiled into core/ok_config.o, rebuilt when they change, as the version is
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
LIBEXECDIR  ?= $(PREFIX)/libexec/otklik
DATADIR     ?= $(PREFIX)/share/otklik
DOCDIR      ?= $(PREFIX)/share/doc/otklik
MANDIR      ?= $(PREFIX)/share/man
SYSCONFDIR  ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
RUNDIR      ?= /run/otklik
NGINXLOGDIR ?= /var/log/nginx
OK_PATHS    := -DOK_DATADIR='"$(DATADIR)"' -DOK_SYSCONFDIR='"$(SYSCONFDIR)"'
$(shell mkdir -p $(OUT) && [ "$$(cat $(OUT)/paths 2>/dev/null)" = '$(DATADIR) $(SYSCONFDIR)' ] || \
  printf '%s' '$(DATADIR) $(SYSCONFDIR)' >$(OUT)/paths)
$(OUT)/core/ok_config.o: $(OUT)/paths
$(OUT)/core/ok_config.o: CFLAGS += $(OK_PATHS)

CORE_SRC    := $(wildcard core/*.c)
CORE_OBJ    := $(CORE_SRC:%.c=$(OUT)/%.o)
MODULES     := widget esia cabinet voting admin analytics open311 channels
WORKERS     := $(MODULES:%=$(BIN)/otklik-%)
UNIT_SRC    := $(wildcard tests/unit/*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/%)
FUZZ_SRC    := $(wildcard tests/fuzz/*.c)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/fuzzers/%)
FUZZ_SECONDS ?= 60

.PHONY: install uninstall install-list install-check deb deb-live all deps lint-openapi build-asan build-fuzz unit integration fuzz test run start stop clean format lint bench bench-cabinet bench-analytics lighthouse \
        cluster cluster-stop test-cluster bench-cluster
.DEFAULT_GOAL := all

all: $(WORKERS) $(BIN)/otklikctl $(BIN)/otklik-notifier widget-js/dist/otklik.js web/dist/sizes.json \
     docs/dist/openapi.json

# the OpenAPI description, served as JSON at /api/v1/openapi.json (docs/package-lock.json)
docs/dist/openapi.json: docs/openapi.yaml docs/build.mjs docs/package-lock.json
	@[ -d docs/node_modules ] || (cd docs && npm ci --no-audit --no-fund --loglevel=error)
	cd docs && node build.mjs

# its lint (@redocly/cli's recommended rules)
lint-openapi:
	@[ -d docs/node_modules ] || (cd docs && npm ci --no-audit --no-fund --loglevel=error)
	cd docs && node node_modules/@redocly/cli/bin/cli.js lint --format=stylish openapi.yaml

# the widget: bundled and minified with esbuild (widget-js/package-lock.json)
widget-js/dist/otklik.js: $(wildcard widget-js/src/* widget-js/src/participate/*) widget-js/build.mjs widget-js/package-lock.json
	@[ -d widget-js/node_modules ] || (cd widget-js && npm ci --no-audit --no-fund --loglevel=error)
	cd widget-js && node build.mjs

# the platform's own pages (web/: the staff cabinet), Preact with htm, bundled
# with esbuild (web/package-lock.json)
web/dist/sizes.json: $(shell find web/src -type f 2>/dev/null) web/build.mjs web/package-lock.json
	@[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund --loglevel=error)
	cd web && node build.mjs

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(OUT)/libotklik.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

# a program from the .c files matching $(2), linked with the core library;
# one worker per module: every .c file of modules/<name>/
define program_rule
$(BIN)/$(1): $(patsubst %.c,$(OUT)/%.o,$(wildcard $(2))) $(OUT)/libotklik.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach m,$(MODULES),$(eval $(call program_rule,otklik-$(m),modules/$(m)/*.c)))

# otklikctl also links the workers' statement tables (for `otklikctl sql`)
$(eval $(call program_rule,otklikctl,tools/otklikctl/*.c modules/*/statements.c))

$(eval $(call program_rule,otklik-notifier,tools/notifier/*.c))

$(OUT)/tests/%: $(OUT)/tests/unit/%.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# core_org answers ok_org.c's territory query itself (no database)
$(OUT)/tests/core_org: LDFLAGS += -Wl,--wrap=ok_db_run
# core_db's fake connection breaks at BEGIN or COMMIT (no database)
$(OUT)/tests/core_db: LDFLAGS += -Wl,--wrap=PQconnectdbParams,--wrap=PQstatus,--wrap=PQfinish \
  -Wl,--wrap=PQsetNoticeProcessor,--wrap=PQexec

# a unit test of a module's file (tests/unit/<module>_<file>.c) links that file too
$(OUT)/tests/unit/esia_provider.o: CFLAGS += -Imodules/esia
$(OUT)/tests/esia_provider: $(OUT)/tests/unit/esia_provider.o $(OUT)/modules/esia/provider.o $(OUT)/modules/esia/signing.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# a libFuzzer harness: tests/fuzz/<name>.c, linked with libFuzzer's main (FLAVOUR=fuzz)
$(OUT)/fuzzers/%: $(OUT)/tests/fuzz/%.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(subst fuzzer-no-link,fuzzer,$(LDFLAGS)) -o $@ $^ $(LDLIBS)
.SECONDARY: $(FUZZ_SRC:%.c=$(OUT)/%.o)
# a harness of a module's file links that file too
$(OUT)/tests/fuzz/fuzz_open311.o: CFLAGS += -Imodules/open311
$(OUT)/fuzzers/fuzz_open311: $(OUT)/tests/fuzz/fuzz_open311.o $(OUT)/modules/open311/params.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(subst fuzzer-no-link,fuzzer,$(LDFLAGS)) -o $@ $^ $(LDLIBS)

# make install [PREFIX=/usr/local] [DESTDIR=]: scripts/install.sh, which lists
# every file it writes; make uninstall removes them (not the environment file)
INSTALL_ENV = BIN='$(BIN)' MODULES='$(MODULES)' BINDIR='$(BINDIR)' LIBEXECDIR='$(LIBEXECDIR)' \
  DATADIR='$(DATADIR)' DOCDIR='$(DOCDIR)' MANDIR='$(MANDIR)' SYSCONFDIR='$(SYSCONFDIR)' UNITDIR='$(UNITDIR)' \
  SYSUSERSDIR='$(SYSUSERSDIR)' RUNDIR='$(RUNDIR)' NGINXLOGDIR='$(NGINXLOGDIR)' DESTDIR='$(DESTDIR)'
install: all
	@$(INSTALL_ENV) scripts/install.sh install
uninstall:
	@$(INSTALL_ENV) scripts/install.sh uninstall
install-list:
	@$(INSTALL_ENV) scripts/install.sh list

# make install into a temporary DESTDIR, its files, systemd-analyze verify on
# the units, the nginx snippet in Debian's nginx.conf; otklikctl config check
# and a bad value refused (tests/install/)
install-check: all
	@node --test --test-reporter=dot tests/install/

# the Debian package (debian/): build/deb/otklik_*.deb, then lintian
deb:
	@scripts/deb.sh

# that package installed with apt and run by systemd's units in a container
# booted from this machine's own files (tests/install/live.sh; root)
deb-live:
	@tests/install/live.sh

# Installs what is missing (Debian packages, npm packages from the lock file).
deps:
	@scripts/install-deps.sh

build-asan:
	$(MAKE) FLAVOUR=asan all $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

build-fuzz:
	$(MAKE) FLAVOUR=fuzz $(FUZZ_BIN)

unit: build-asan lint-openapi
	@scripts/unit-tests.sh build/asan/tests
	@node --test --test-reporter=dot tests/static/

# then the ESIA login journeys once more with the workers on ESIA's v2/v3
# protocol (GOST R 34.10-2012 client secrets, tools/esia-dev/gost.mjs), and
# a region set up in a browser from an empty database (no demo data)
integration: all build-asan
	@scripts/integration-tests.sh
	@OTKLIK_ESIA_PROTOCOL=v2 scripts/integration-tests.sh tests/integration/esia.test.mjs
	@OTKLIK_DEMO_DATA=0 scripts/integration-tests.sh tests/browser/admin.test.mjs

# each harness for FUZZ_SECONDS from its corpus tests/fuzz/corpus/<name>/; new
# inputs and crashes go to build/fuzz/findings/<name>/ (scripts/fuzz.sh)
fuzz: build-fuzz
	@scripts/fuzz.sh build/fuzz/fuzzers $(FUZZ_SECONDS)

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) install-check
	$(MAKE) test-cluster
	$(MAKE) fuzz FUZZ_SECONDS=10
	BENCH_SIZE=tiny scripts/bench.sh

# the benchmark table (scripts/bench.sh); BENCH_SIZE=tiny for a quick check
bench: deps all
	@scripts/bench.sh

# the cabinet's time from login to a queue of 50 with a million messages
# (scripts/bench-cabinet.sh, in chromium); BENCH_MESSAGES to change the size
bench-cabinet: deps all
	@scripts/bench-cabinet.sh

# Lighthouse (mobile preset) on the portal's home, voting and personal cabinet
# pages: performance and accessibility scores (scripts/lighthouse.sh; not
# part of make test)
lighthouse: all
	@[ -d bench/lighthouse/node_modules ] || (cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
	@[ -d tests/node_modules ] || (cd tests && npm ci --no-audit --no-fund --loglevel=error)
	@scripts/lighthouse.sh

# the analytics worker over ten million messages spread over a year
# (scripts/bench-analytics.sh): build time, statistics p99 at 16 connections,
# the CSV export beside psql; BENCH_MESSAGES to change the size
bench-analytics: deps all
	@scripts/bench-analytics.sh

run: deps all
	@scripts/stack.sh run

# several hosts on one machine (root): a load balancer, two worker hosts, a
# pg_auto_failover monitor and two PostgreSQL nodes (primary + synchronous
# standby), each in its network namespace (scripts/cluster.sh; README.md,
# "Beyond one machine"); OTKLIK_CLUSTER_DIR for another one beside it
cluster: deps all
	@scripts/cluster.sh start

cluster-stop:
	@scripts/cluster.sh stop

# the write and read endpoints through the cluster's load balancer: two worker
# hosts against one, a synchronous standby against the primary alone
# (scripts/bench-cluster.sh; root; not part of make test)
bench-cluster: deps all
	@scripts/bench-cluster.sh

# the failover tests (tests/cluster/, root): a cluster of their own, killed,
# cut off and brought back under load; a few minutes
test-cluster: all
	@node --test --test-reporter=spec --test-concurrency=1 tests/cluster/

start: deps all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

format:
	clang-format -i core/*.[ch] modules/*/*.[ch] tools/*/*.c tests/unit/*.c tests/fuzz/*.c tests/support/*.h

lint: lint-openapi
	node --test --test-reporter=dot tests/static/
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr -Icore core modules tools

clean:
	rm -rf build bin

-include $(CORE_OBJ:.o=.d) $(wildcard $(OUT)/modules/*/*.d $(OUT)/tools/*/*.d $(OUT)/tests/unit/*.d \
  $(OUT)/tests/fuzz/*.d)
