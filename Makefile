# rspipe: `make` builds, `make run` runs the experiments, `make test` tests.
# Debian packages are installed by `make deps` when missing.

CC       ?= cc
# -O3 vectorizes the Adam and dot-product loops; -fno-math-errno lets sqrtf
# vectorize. Neither touches NaN semantics (unlike -ffast-math).
CFLAGS   ?= -O3 -fno-math-errno -g
BUILDDIR ?= build
BINDIR   ?= bin
# One spelling of each folder, whether given relative or absolute (the tests
# give them absolute): the dependency files name their targets by it, and
# under a second spelling they match nothing and objects go stale.
override BUILDDIR := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILDDIR)))
override BINDIR   := $(patsubst $(CURDIR)/%,%,$(abspath $(BINDIR)))
# -Ofast/-ffast-math would fold isnan() away, and trainers depend on it.
# -Wpointer-arith: sizeof of a function (a name that once was a variable) is 1
WARN     := -Wall -Wextra -Wpointer-arith $(if $(WERROR),-Werror)

MSGPACK_PC := $(shell pkg-config --exists msgpack-c 2>/dev/null && echo msgpack-c || echo msgpack)
CPPFLAGS += -Iinclude -D_GNU_SOURCE $(shell pkg-config --cflags $(MSGPACK_PC) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(MSGPACK_PC) 2>/dev/null || echo -lmsgpackc) -lcsv $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) -lz -lm -pthread

TOOLS    := $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
# lib/'s folders are its layers, lowest first (tests/layering.sh checks
# that none reaches a higher one; docs/extending.md says what each holds)
LAYERS   := base io data numeric model score train app
LIB_OBJ  := $(patsubst lib/%.c,$(BUILDDIR)/lib/%.o,$(wildcard $(LAYERS:%=lib/%/*.c)))
LIB      := $(BUILDDIR)/librspipe.a
UNITS    := $(patsubst tests/unit/%.c,$(BUILDDIR)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZERS  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAYS  := $(addprefix $(BUILDDIR)/replay/fuzz_,$(FUZZERS))

# Where the MovieLens-100K folder is; `make data` fills data/ml-100k.
ML100K_DIR ?= data/ml-100k

.PHONY: all deps run test check-asan clean bench install uninstall
all: $(LIB) $(addprefix $(BINDIR)/,$(TOOLS)) $(UNITS) $(REPLAYS)
include tests/fuzz/fuzz.mk

$(BUILDDIR)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Adam's AVX-512 path must round as its scalar path does (lib/numeric/optim.c)
# (override: CFLAGS given on the command line, as check-asan does, keep it)
$(BUILDDIR)/lib/numeric/optim.o: override CFLAGS += -ffp-contract=off
# the softmax's exponential (nn.c) runs in vector lanes only where a
# float-to-int conversion may be assumed not to trap
$(BUILDDIR)/lib/numeric/nn.o: override CFLAGS += -fno-trapping-math

$(LIB): $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BINDIR)/%: cmd/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -MMD -MP -MF $(BUILDDIR)/$*.d -o $@ $< $(LIB) $(LDLIBS)

# Open MPI, where installed: the trainers of the shared loop also run
# data-parallel under mpirun (include/dist.h); without it they are built
# with the library's run-of-one dist.o, and run the same.
MPICC    := $(shell command -v mpicc 2>/dev/null)
# every tool built on the shared trainer main (lib/app/trainer.c), which starts
# and ends MPI: a new trainer is one of them by what it calls
TRAINERS := $(patsubst cmd/%.c,%,$(shell grep -l rs_trainer_main cmd/*.c))
ifneq ($(MPICC),)
MPI_OBJ  := $(BUILDDIR)/mpi/dist.o
MPI_LIBS := $(shell mpicc --showme:link)
$(MPI_OBJ): lib/base/dist.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(shell mpicc --showme:compile) -DRS_MPI $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<
-include $(MPI_OBJ:.o=.d)
endif
$(addprefix $(BINDIR)/,$(TRAINERS)): $(BINDIR)/%: cmd/%.c $(LIB) $(MPI_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -MMD -MP -MF $(BUILDDIR)/$*.d -o $@ $< $(MPI_OBJ) $(LIB) $(LDLIBS) $(MPI_LIBS)

$(BUILDDIR)/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(WARN) $(LDFLAGS) -MMD -MP -o $@ $< $(LIB) $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(patsubst %,$(BUILDDIR)/%.d,$(TOOLS))

deps:
	@sh data/deps.sh

test: deps
	@$(MAKE) --no-print-directory all data
	@BINDIR=$(abspath $(BINDIR)) BUILDDIR=$(abspath $(BUILDDIR)) UNITDIR=$(abspath $(BUILDDIR)/tests) \
	  REPLAYDIR=$(abspath $(BUILDDIR)/replay) \
	  ML100K_DIR=$(abspath $(ML100K_DIR)) LAYERS="$(LAYERS)" sh tests/run.sh

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan: deps
	@$(MAKE) --no-print-directory test BUILDDIR=build/asan BINDIR=build/asan/bin \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined"

# make install PREFIX=... (default /usr/local; DESTDIR for staging): the
# tools, and a man page for each made from its --help and --version.
PREFIX ?= /usr/local
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
install: deps all
	install -d $(DESTDIR)$(PREFIX)/bin $(MANDIR)
	install -m 755 $(addprefix $(BINDIR)/,$(TOOLS)) $(DESTDIR)$(PREFIX)/bin
	for t in $(TOOLS); do \
	  help2man -N -n "$$($(BINDIR)/$$t --help | awk 'NR > 1 && !/^  or:/ { sub(/^[^:]*: /, ""); sub(/[.]$$/, ""); print; exit }')" \
	    -o $(MANDIR)/$$t.1 $(BINDIR)/$$t || exit 1; done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(TOOLS)) $(patsubst %,$(MANDIR)/%.1,$(TOOLS))

clean:
	rm -rf build bin work

include data/data.mk
include pipelines/ml100k.mk
include pipelines/bench.mk
