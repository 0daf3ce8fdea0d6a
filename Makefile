# condor -- PGXS build.  The version lives only in condor.control.

EXTENSION = condor
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" condor.control)

MODULE_big = condor
NUM_SRCS = $(sort $(wildcard src/num/*.c))
PG_SRCS = $(sort $(wildcard src/pg/*.c))
OBJS = $(NUM_SRCS:.c=.o) $(PG_SRCS:.c=.o)

DATA_built = condor--$(EXTVERSION).sql
# Earlier versions' install scripts and the upgrade scripts between versions.
DATA = $(sort $(wildcard src/upgrade/condor--*.sql))
SQL_PIECES = $(sort $(wildcard src/sql/*.sql))

# pg_regress suite, in order (sql/NAME.sql against expected/NAME.out)
REGRESS = pricing greeks_ops time calendar occ errors extremes parallel iv american surface ssvi states strategy marking hedge signals dashboard playbook backtest readme
REGRESS_OPTS = --load-extension=condor
# The reference vectors sql/surface.sql reads: the repository's own unless CONDOR_REFDIR
# names another set (so "make installcheck" works from any checkout or source package).
CONDOR_REFDIR ?= $(CURDIR)/test/reference
export CONDOR_REFDIR

# Identical numbers on every platform: no contraction into FMA, no fast-math.
PG_CPPFLAGS = -Isrc/num -Isrc/pg
PG_CFLAGS = -ffp-contract=off -fno-fast-math

EXTRA_CLEAN = build

# No LLVM bitcode: the JIT gains nothing on these calls, and clang is then not needed.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_PIECES) condor.control
	cat $(SQL_PIECES) > $@

# C unit tests of the pure numerics: plain cc, no server needed.
UNIT_CFLAGS = -std=gnu99 -O2 -g -Wall -Wextra -ffp-contract=off -fno-fast-math -Isrc/num
UNIT_TESTS = $(patsubst test/unit/%.c,build/%,$(wildcard test/unit/test_*.c))

build/%: test/unit/%.c $(NUM_SRCS) $(wildcard src/num/*.h) $(wildcard test/unit/*.h)
	@mkdir -p build
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(NUM_SRCS) -lm

unit: $(UNIT_TESTS)

# The same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (gcc), every
# report fatal.  float-cast-overflow is named because gcc's "undefined" leaves it out, and
# the code converts doubles read from aggregate states to integers; uninitialised stack
# variables are filled with the byte 0xFE, so a double read before it is written is
# -5.3140103725178076e+303 and shows in results.  The numerics are compiled once into
# build/san/ and linked into each test.  test/parts/82-sanitize.sh builds condor.so with
# the same flags (make san-flags prints them).
SAN_FLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -ftrivial-auto-var-init=pattern
SAN_CFLAGS = $(UNIT_CFLAGS) $(SAN_FLAGS)
SAN_OBJS = $(patsubst src/num/%.c,build/san/%.o,$(NUM_SRCS))
SAN_TESTS = $(patsubst build/%,build/san/%,$(UNIT_TESTS))

build/san/%.o: src/num/%.c $(wildcard src/num/*.h)
	@mkdir -p build/san
	$(CC) $(SAN_CFLAGS) -c -o $@ $<

build/san/test_%: test/unit/test_%.c $(SAN_OBJS) $(wildcard test/unit/*.h)
	$(CC) $(SAN_CFLAGS) -o $@ $< $(SAN_OBJS) -lm

unit-sanitize: $(SAN_TESTS)

san-flags:
	@echo $(SAN_FLAGS)

# the unit tests' and benchmarks' flags, for scripts/bench's build beside Jaeckel's code
unit-cflags:
	@echo $(UNIT_CFLAGS)

BENCHES = $(patsubst test/bench/%.c,build/%,$(wildcard test/bench/bench_*.c))
build/bench_%: test/bench/bench_%.c $(NUM_SRCS) $(wildcard src/num/*.h)
	@mkdir -p build
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(NUM_SRCS) -lm

benches: $(BENCHES)

# the pg_regress schedule, for the test harness
print-regress:
	@echo $(REGRESS)

.PHONY: unit unit-sanitize san-flags unit-cflags benches print-regress
