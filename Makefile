# Otklik - build, run and test.
#
#   make run      build, start PostgreSQL, the workers and nginx in the foreground
#   make start    the same stack in the background;  make stop  stops it
#   make test     unit tests and integration tests (sanitizer build) against a
#                 private stack on free ports
#   make fuzz     each libFuzzer harness of tests/fuzz/ for FUZZ_SECONDS (default 60)
#
# FLAVOUR=release (default, bin/), FLAVOUR=asan (build/asan/bin/: AddressSanitizer,
# UndefinedBehaviorSanitizer, every arena allocation through malloc) or
# FLAVOUR=fuzz (build/fuzz/: the same with clang and libFuzzer's coverage).

FLAVOUR ?= release
CC      ?= cc
PKGS    := libpq jansson libjwt libcurl openssl libjpeg libpng
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
LDLIBS  += -lfcgi $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDFLAGS += $(filter -fsanitize=%,$(OPT)) -pthread -Wl,--as-needed

CORE_SRC    := $(wildcard core/*.c)
CORE_OBJ    := $(CORE_SRC:%.c=$(OUT)/%.o)
MODULES     := widget esia cabinet voting channels
WORKERS     := $(MODULES:%=$(BIN)/otklik-%)
UNIT_SRC    := $(wildcard tests/unit/*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/%)
FUZZ_SRC    := $(wildcard tests/fuzz/*.c)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/fuzzers/%)
FUZZ_SECONDS ?= 60

.PHONY: all deps build-asan build-fuzz unit integration fuzz test run start stop clean format lint bench bench-cabinet
.DEFAULT_GOAL := all

all: $(WORKERS) $(BIN)/otklikctl $(BIN)/otklik-notifier widget-js/dist/otklik.js web/dist/sizes.json

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
	$(CC) $(CFLAGS) -c -o $@ $<

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

# a unit test of a module's file (tests/unit/<module>_<file>.c) links that file too
$(OUT)/tests/unit/esia_provider.o: CFLAGS += -Imodules/esia
$(OUT)/tests/esia_provider: $(OUT)/tests/unit/esia_provider.o $(OUT)/modules/esia/provider.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# a libFuzzer harness: tests/fuzz/<name>.c, linked with libFuzzer's main (FLAVOUR=fuzz)
$(OUT)/fuzzers/%: $(OUT)/tests/fuzz/%.o $(OUT)/libotklik.a
	@mkdir -p $(dir $@)
	$(CC) $(subst fuzzer-no-link,fuzzer,$(LDFLAGS)) -o $@ $^ $(LDLIBS)
.SECONDARY: $(FUZZ_SRC:%.c=$(OUT)/%.o)

# Installs what is missing (Debian packages, npm packages from the lock file).
deps:
	@scripts/install-deps.sh

build-asan:
	$(MAKE) FLAVOUR=asan all $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

build-fuzz:
	$(MAKE) FLAVOUR=fuzz $(FUZZ_BIN)

unit: build-asan
	@scripts/unit-tests.sh build/asan/tests
	@node --test --test-reporter=dot tests/static/

integration: all build-asan
	@scripts/integration-tests.sh

# each harness for FUZZ_SECONDS from its corpus tests/fuzz/corpus/<name>/; new
# inputs and crashes go to build/fuzz/findings/<name>/ (scripts/fuzz.sh)
fuzz: build-fuzz
	@scripts/fuzz.sh build/fuzz/fuzzers $(FUZZ_SECONDS)

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) fuzz FUZZ_SECONDS=10
	BENCH_SIZE=tiny scripts/bench.sh

# the benchmark table (scripts/bench.sh); BENCH_SIZE=tiny for a quick check
bench: deps all
	@scripts/bench.sh

# the cabinet's time from login to a queue of 50 with a million messages
# (scripts/bench-cabinet.sh, in chromium); BENCH_MESSAGES to change the size
bench-cabinet: deps all
	@scripts/bench-cabinet.sh

run: deps all
	@scripts/stack.sh run

start: deps all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

format:
	clang-format -i core/*.[ch] modules/*/*.[ch] tools/*/*.c tests/unit/*.c tests/fuzz/*.c tests/support/*.h

lint:
	node --test --test-reporter=dot tests/static/
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr -Icore core modules tools

clean:
	rm -rf build bin

-include $(CORE_OBJ:.o=.d) $(wildcard $(OUT)/modules/*/*.d $(OUT)/tools/*/*.d $(OUT)/tests/unit/*.d \
  $(OUT)/tests/fuzz/*.d)
