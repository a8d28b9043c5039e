# make bench: records/s, seconds and peak RSS of every stage, median of
# BENCH_RUNS runs, over MovieLens-100K and BENCH_N synthetic ratings; the
# table printed, and written in docs/benchmarks.md when every stage ran.
BENCH_N    ?= 10000000
BENCH_RUNS ?= 5
BENCH_DIR  := work/bench

$(BENCH_DIR)/synth.tsv: pipelines/synth.awk
	@mkdir -p $(@D)
	awk -v n=$(BENCH_N) -v seed=1 -f $< > $@.tmp && mv $@.tmp $@

$(BENCH_DIR)/ml100k.tsv: $(ML100K_DIR)/u.data
	@mkdir -p $(@D)
	cp $< $@

# the event-log generator of ../shared/peers (string ids, no rating), when
# it is there: ml-split over 2.5M and 25M events (BENCH_LOG_N)
PEERS_DIR   ?= ../shared/peers
BENCH_LOG_N ?= 25000000
# the ranking losses' large log: one epoch of each on 1 and 2 threads and
# the sequential recommender to its early stop on each (over an hour; 0:
# left out)
BENCH_RANK_LOG_N ?= 25000000
# synthctr's click log of a Criteo day (the click-log rows' large run)
BENCH_CTR_N ?= 45000000
# the Amazon Beauty file of sequential recommenders (sasrec's rows), when there
BEAUTY      ?= ../shared/data/amazon-beauty/Beauty.txt

bench: all $(BENCH_DIR)/synth.tsv $(BENCH_DIR)/ml100k.tsv
	@BINDIR=$(abspath $(BINDIR)) RUNS=$(BENCH_RUNS) PEERS_DIR=$(PEERS_DIR) LOG_N=$(BENCH_LOG_N) RANK_LOG_N=$(BENCH_RANK_LOG_N) CTR_N=$(BENCH_CTR_N) \
	  BEAUTY=$(abspath $(BEAUTY)) \
	  ML100K_DIR=$(abspath $(ML100K_DIR)) \
	  sh pipelines/bench-doc.sh docs/benchmarks.md sh pipelines/bench.sh $(BENCH_DIR)
