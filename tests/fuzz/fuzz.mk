# Fuzzing. Every harness tests/fuzz/fuzz_NAME.c is built twice:
#  - $(BUILDDIR)/replay/fuzz_NAME, with driver.c and the build's own compiler
#    and flags: `make test` replays tests/fuzz/corpus/NAME (the seeds) and
#    tests/fuzz/regress/NAME (every finding so far) through it;
#  - build/fuzz/fuzz_NAME, with clang's libFuzzer and ASan+UBSan: `make fuzz
#    FUZZ_SECONDS=N` runs each for N seconds, growing work/fuzz/NAME, and
#    fails on a finding, saved there as crash-*, leak-*, timeout-* or oom-*.
# (FUZZERS and REPLAYS are set in the Makefile, before `all` needs them.)
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_CFLAGS  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILDDIR)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIB) $(LDLIBS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/librspipe.a
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(WARN) -o $@ $< $(FUZZ_BUILD)/librspipe.a $(LDLIBS)

.PHONY: fuzz fuzz-lib fuzz-deps
fuzz-deps:
	@sh data/deps.sh clang libclang-rt-dev
fuzz-lib:
	@$(MAKE) --no-print-directory CC=clang BUILDDIR=$(FUZZ_BUILD) \
	  CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/librspipe.a

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-lib
	@$(MAKE) --no-print-directory $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZERS))
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZERS)
