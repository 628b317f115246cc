# vulnd — build, test, run.  `make help` lists the targets.
CC      ?= cc
PORT    ?= 8080
DB      ?= ./vulnd.db
SHARED  ?= $(abspath ../shared)
MODE    ?= release

PKGS    := sqlite3 jansson yaml-0.1 yajl libarchive libmicrohttpd libxml-2.0 zlib libsodium libcurl libzstd
# Debian packages the build and the tests need (checked by `make deps`).
DEBS    := build-essential pkg-config clang libsqlite3-dev libjansson-dev libyaml-dev libsodium-dev \
           libyajl-dev libarchive-dev libmicrohttpd-dev libxml2-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev cppcheck curl python3 python3-yaml python3-jsonschema python3-packaging python3-zstandard python3-rpm python3-apt libmaven3-core-java default-jre-headless

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS_release := -O2 -g
CFLAGS_asan    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS_$(MODE)) -Iinclude $(PKG_CFLAGS)
SAN     := -fsanitize=address,undefined
LDFLAGS += $(if $(filter asan,$(MODE)),$(SAN))
LDLIBS  += $(PKG_LIBS) -lm -lpthread

B       := build/$(MODE)
SRC     := $(shell find src -name '*.c' ! -path src/main.c | sort)
OBJ     := $(SRC:%.c=$(B)/%.o) $(B)/gen/openapi_yaml.o
LIB     := $(B)/libvulnd.a
TEST_SRC := $(shell find tests -name 't_*.c' | sort)
TEST_BIN := $(TEST_SRC:%.c=$(B)/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/replay/%)
WEB_SRC := $(wildcard web/*)

.PHONY: all deps run test asan lint fuzz clean help bench bench-import bench-http man compilers build-tests
all: vulnd

help:
	@echo "make            build ./vulnd"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make run        deps + build + db init + import ../shared/data + serve on 127.0.0.1:\$$PORT ($(PORT))"
	@echo "make test       deps + build + the whole suite (ends with 'N passed, N failed')"
	@echo "make asan       the suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make lint       banned functions + cppcheck on src/"
	@echo "make fuzz       libFuzzer targets, time-boxed (FUZZ_SECONDS=60 each)"
	@echo "make compilers  build with gcc and clang, -Werror"
	@echo "make man        regenerate docs/man/vulnd.1 from the command table"
	@echo "make bench      every benchmark below"
	@echo "make bench-import  import: all of ../shared/data and 300k synthetic NVD records vs a Python loader"
	@echo "make bench-search  search latency and index size at 300k records vs SQLite trigram"
	@echo "make bench-match   10k-component SBOM against a 300k-record catalogue"
	@echo "make bench-http HTTP load: vulnd serve vs nginx (wrk; 300k synthetic records)"

deps:
	@sh scripts/deps.sh $(DEBS)

vulnd: $(B)/vulnd
	@cp $< $@

$(B)/vulnd: src/main.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ src/main.c $(LIB) $(LDFLAGS) $(LDLIBS)

# docs/api/openapi.yaml embedded in the binary (served at /api/v1/openapi.yaml).
$(B)/gen/openapi_yaml.c: docs/api/openapi.yaml
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@{ echo '/* generated from docs/api/openapi.yaml by the Makefile: do not edit */'; \
	  echo 'const unsigned char vd_openapi_yaml[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0};'; \
	  echo 'const unsigned long vd_openapi_yaml_len = sizeof vd_openapi_yaml - 1;'; } > $@.tmp && mv $@.tmp $@

$(B)/gen/openapi_yaml.o: $(B)/gen/openapi_yaml.c
	@$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(OBJ)
	@rm -f $@
	@ar rcs $@ $(OBJ)

$(B)/%.o: %.c $(shell find include -name '*.h') $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# Test binaries: tests/**/t_*.c, each its own program linked with the library.
$(B)/tests/%: tests/%.c tests/harness.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS) -Itests -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

# Fuzz targets built with a replay driver (no libFuzzer needed) for `make test`.
$(B)/replay/%: tests/fuzz/%.c tests/fuzz/replay_main.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $<"
	@$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(LIB) $(LDFLAGS) $(LDLIBS)

build-tests: $(B)/vulnd $(TEST_BIN) $(FUZZ_REPLAY)

test: deps
	@$(MAKE) --no-print-directory build-tests
	@VULND=$(abspath $(B)/vulnd) BUILD=$(B) SHARED=$(SHARED) sh tests/run.sh

asan: deps
	@$(MAKE) --no-print-directory MODE=asan build-tests
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  VULND=$(abspath build/asan/vulnd) BUILD=build/asan SHARED=$(SHARED) sh tests/run.sh

lint:
	@sh scripts/lint.sh

FUZZ_SECONDS ?= 60
fuzz:
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

run: deps vulnd
	./vulnd --db $(DB) db init
	@if [ -d "$(SHARED)/data" ]; then \
	  for v in 1000 1194; do f="$(SHARED)/data/cwe/cwe-view-$$v.csv"; [ -f "$$f" ] && ./vulnd --db $(DB) import cwe "$$f"; done; \
	  for d in cve5 nvd2 osv cnnvd cnvd csaf; do [ -d "$(SHARED)/data/$$d" ] && ./vulnd --db $(DB) import auto "$(SHARED)/data/$$d"; done; true; \
	else echo "note: $(SHARED)/data not found; skipping the sample import"; fi
	./vulnd --db $(DB) serve --listen 127.0.0.1:$(PORT)

bench: bench-import bench-search bench-match bench-http

# HTTP load benchmark: vulnd serve vs nginx serving the same JSON (bench/http.sh;
# installs nginx and wrk with apt-get when missing).  Prints figures, not a test.
bench-http: vulnd
	@SHARED=$(SHARED) sh bench/http.sh

# Search benchmark (bench/search.c, issue 10): latency, index size and build
# time on a 300k catalogue made from ../shared/data, vs SQLite's trigram.
.PHONY: bench-search
bench-search: $(B)/vulnd $(LIB)
	@mkdir -p $(B)/bench
	@$(CC) $(CFLAGS) -o $(B)/bench/search bench/search.c $(LIB) $(LDFLAGS) $(LDLIBS)
	@VULND=$(abspath $(B)/vulnd) $(B)/bench/search $(SHARED) $(or $(SEARCH_RECORDS),300000)

# SBOM matching benchmark (bench/match.c, issue 8): a 10,000-component SBOM
# of real package names/versions against a 300k catalogue made from the OSV
# records of ../shared/data (in a temporary directory); prints time and findings.
.PHONY: bench-match
bench-match: $(B)/vulnd $(LIB)
	@mkdir -p $(B)/bench
	@$(CC) $(CFLAGS) -o $(B)/bench/match bench/match.c $(LIB) $(LDFLAGS) $(LDLIBS)
	@VULND=$(abspath $(B)/vulnd) $(B)/bench/match $(SHARED) $(or $(MATCH_RECORDS),300000) $(or $(MATCH_COMPONENTS),10000)

bench-import: vulnd
	@command -v bc >/dev/null || apt-get install -y -q bc >/dev/null
	@SHARED=$(SHARED) sh bench/import.sh

man: vulnd
	./vulnd help --man > docs/man/vulnd.1

clean:
	rm -rf build vulnd

# Both compilers must build the tree warning-free.
compilers:
	@$(MAKE) --no-print-directory CC=gcc B=build/gcc build/gcc/libvulnd.a build/gcc/vulnd
	@$(MAKE) --no-print-directory CC=clang B=build/clang build/clang/libvulnd.a build/clang/vulnd
