# make run: the MovieLens-100K experiments, from the ratings to the metrics.
# Streams and models go to the git-ignored work/ folder; real dependencies,
# so a second `make run` redoes nothing.
RUN  := work/run
SEEDS ?= 1 2 3
B    := $(abspath $(BINDIR))

.PHONY: run run-report
run: deps
	@$(MAKE) --no-print-directory all data
	@$(MAKE) --no-print-directory run-report

$(RUN)/split-%.mp: $(ML100K_DIR)/u.data $(BINDIR)/ml-split
	@mkdir -p $(@D)
	$(B)/ml-split --seed $* < $< > $@
$(RUN)/ctr-%.mp: $(RUN)/split-%.mp $(BINDIR)/ml-ctr
	$(B)/ml-ctr < $< > $@
$(RUN)/side-%.mp: $(RUN)/ctr-%.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -u $(ML100K_DIR)/u.user -i $(ML100K_DIR)/u.item < $< > $@

# model rules: $(RUN)/<model>-<preset>-<seed>.bin with its .log
$(RUN)/mf-d2l-%.bin: $(RUN)/split-%.mp $(BINDIR)/mf-train
	$(B)/mf-train -q --preset d2l --log $(@:.bin=.log) -o $@ < $<
$(RUN)/mf-default-%.bin: $(RUN)/split-%.mp $(BINDIR)/mf-train
	$(B)/mf-train -q --seed $* --log $(@:.bin=.log) -o $@ < $<
$(RUN)/fm-d2l-%.bin: $(RUN)/ctr-%.mp $(BINDIR)/fm-train
	$(B)/fm-train -q --preset d2l --log $(@:.bin=.log) -o $@ < $<
$(RUN)/fm-default-%.bin: $(RUN)/ctr-%.mp $(BINDIR)/fm-train
	$(B)/fm-train -q --seed $* --log $(@:.bin=.log) -o $@ < $<
$(RUN)/fmside-default-%.bin: $(RUN)/side-%.mp $(BINDIR)/fm-train
	$(B)/fm-train -q --seed $* --log $(@:.bin=.log) -o $@ < $<
$(RUN)/deepfm-d2l-%.bin: $(RUN)/ctr-%.mp $(BINDIR)/deepfm-train
	$(B)/deepfm-train -q --preset d2l --log $(@:.bin=.log) -o $@ < $<
$(RUN)/deepfm-default-%.bin: $(RUN)/ctr-%.mp $(BINDIR)/deepfm-train
	$(B)/deepfm-train -q --seed $* --log $(@:.bin=.log) -o $@ < $<
$(RUN)/deepfmside-default-%.bin: $(RUN)/side-%.mp $(BINDIR)/deepfm-train
	$(B)/deepfm-train -q --seed $* --log $(@:.bin=.log) -o $@ < $<

.SECONDARY: $(foreach s,$(SEEDS),$(RUN)/split-$(s).mp $(RUN)/ctr-$(s).mp $(RUN)/side-$(s).mp)

RUN_MODELS := mf-d2l mf-default fm-d2l fm-default fmside-default deepfm-d2l deepfm-default deepfmside-default
RUN_BINS   := $(foreach m,$(RUN_MODELS),$(foreach s,$(SEEDS),$(RUN)/$(m)-$(s).bin))

# test metrics of every model: model, seed, metric, value
$(RUN)/results.tsv: $(RUN_BINS) $(BINDIR)/rs-eval pipelines/results.sh
	RUN=$(RUN) BINDIR=$(B) sh pipelines/results.sh $(RUN_MODELS) > $@.tmp && mv $@.tmp $@

run-report: $(RUN)/results.tsv
	@echo "== stream summary (seed 1): ml-split | ml-ctr | ml-onehot"
	@$(B)/ml-split --seed 1 < $(ML100K_DIR)/u.data | $(B)/ml-ctr | \
	  $(B)/ml-onehot -u $(ML100K_DIR)/u.user -i $(ML100K_DIR)/u.item > /dev/null
	@echo "== test metrics, mean over seeds $(SEEDS) (all figures in $(RUN)/results.tsv)"
	@awk -F'\t' '{ k = $$1 "\t" $$3; s[k] += $$4; n[k]++ } END { for (k in s) printf "%s\t%.4f\n", k, s[k] / n[k] }' $< | sort
