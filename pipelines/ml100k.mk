# make run: the MovieLens-100K experiments, from the ratings to a report.
# Everything lands in $(RUN) (git-ignored work/run by default); every target
# depends on its inputs and tools, so a second `make run` redoes nothing and
# rebuilding one tool reruns only what it made. Safe under -j2.
#
#   RUN          where streams, models, logs, plots and the report go
#   RUN_RATINGS  use only the first N ratings of u.data (tests use 2000), less
#                those of users with fewer than 3 of them: a model trained to
#                rank refuses a user whose only rating is the test item
#   SEEDS        the random 90/10 splits
RUN         ?= work/run
RUN_RATINGS ?=
SEEDS       ?= 1 2 3
B           := $(abspath $(BINDIR))
SIDE        := -u $(ML100K_DIR)/u.user -i $(ML100K_DIR)/u.item

.PHONY: run run-all
run: deps
	@$(MAKE) --no-print-directory all data
	@$(MAKE) --no-print-directory run-all

$(RUN)/u.data: $(ML100K_DIR)/u.data
	@mkdir -p $(@D)
	$(if $(RUN_RATINGS),head -n $(RUN_RATINGS) $< | awk '{ r[NR] = $$0; n[$$1]++ } \
	  END { for (i = 1; i <= NR; i++) { split(r[i], f); if (n[f[1]] >= 3) print r[i] } }' > $@,cp $< $@)

# streams: random splits by seed, and the seq-aware split for ranking
$(RUN)/split-%.mp: $(RUN)/u.data $(BINDIR)/ml-split
	$(B)/ml-split -q --seed $* < $< > $@
$(RUN)/split-seq.mp: $(RUN)/u.data $(BINDIR)/ml-split
	$(B)/ml-split -q --split seq-aware < $< > $@
$(RUN)/ctr-%.mp: $(RUN)/split-%.mp $(BINDIR)/ml-ctr
	$(B)/ml-ctr -q < $< > $@
$(RUN)/side-%.mp: $(RUN)/ctr-%.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q $(SIDE) < $< > $@
# ratings with side features, and with the implicit field too
$(RUN)/rside-%.mp: $(RUN)/split-%.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q $(SIDE) < $< > $@
$(RUN)/rimpl-%.mp: $(RUN)/split-%.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q $(SIDE) --implicit < $< > $@
# and the time field (ml-onehot --time: the user in 30-day bins)
$(RUN)/rtime-%.mp: $(RUN)/split-%.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q $(SIDE) --implicit --time < $< > $@

# models: $(RUN)/<model>-<seed>.bin with its .log, from one rule each:
# MODEL_RULE name, stream, trainer, options (the name tells stream-of.sh the
# stream)
define MODEL_RULE
$(RUN)/$(1)-%.bin: $(RUN)/$(2)-%.mp $(BINDIR)/$(3)
	$(B)/$(3) -q $(4) --log $$(@:.bin=.log) -o $$@ < $$<
endef
$(eval $(call MODEL_RULE,mf-d2l,split,mf-train,--preset d2l))
$(eval $(call MODEL_RULE,mf,split,mf-train,))
$(eval $(call MODEL_RULE,fm-d2l,ctr,fm-train,--preset d2l))
$(eval $(call MODEL_RULE,fm,ctr,fm-train,))
$(eval $(call MODEL_RULE,fmside-d2l,side,fm-train,--preset d2l))
$(eval $(call MODEL_RULE,fmside,side,fm-train,))
$(eval $(call MODEL_RULE,deepfm-d2l,ctr,deepfm-train,--preset d2l))
$(eval $(call MODEL_RULE,deepfm,ctr,deepfm-train,))
$(eval $(call MODEL_RULE,deepfmside-d2l,side,deepfm-train,--preset d2l))
$(eval $(call MODEL_RULE,deepfmside,side,deepfm-train,))
# Bayesian FMs by Gibbs sampling (fm-train --method mcmc): bfmr* on
# ratings, bfm* on clicks
$(eval $(call MODEL_RULE,bfmr,split,fm-train,--method mcmc))
$(eval $(call MODEL_RULE,bfmrside,rside,fm-train,--method mcmc))
$(eval $(call MODEL_RULE,bfmrimpl,rimpl,fm-train,--method mcmc))
$(eval $(call MODEL_RULE,bfmrtime,rtime,fm-train,--method mcmc))
$(eval $(call MODEL_RULE,bfm,ctr,fm-train,--method mcmc))
$(eval $(call MODEL_RULE,bfmside,side,fm-train,--method mcmc))

# learning curves from seed 1's log
$(RUN)/%-1.png: $(RUN)/%-1.bin pipelines/curves.gp
	gnuplot -e "log='$(RUN)/$*-1.log'; out='$@'; metric='$(if $(filter rk-%,$*),hr@10,$(if $(filter mf% bfmr%,$*),rmse,auc))'; \
	  kept=$$($(B)/rs-show $< | awk -F'\t' '$$1 == "epochs" { split($$2, w, " "); print w[3] }'); \
	  valid=$$(awk -F'\t' 'NR == 2 { for (i = 1; i <= NF; i++) if ($$i != "nan") n++; print n == NF }' $(RUN)/$*-1.log); \
	  name='$* (seed 1)'" pipelines/curves.gp

# test metrics (model, seed, metric, value)
$(RUN)/%.metrics: $(RUN)/%.bin $(BINDIR)/rs-eval
	$(B)/rs-eval -m $< < $(RUN)/$(shell sh pipelines/stream-of.sh $*).mp > $@
# a rating model as a classifier of clicks (rating > 3)
$(RUN)/%.clicks: $(RUN)/%.bin $(BINDIR)/rs-eval
	$(B)/rs-eval --threshold 3 -m $< < $(RUN)/$(shell sh pipelines/stream-of.sh $*).mp > $@
RUN_THRESHOLDED := mf bfmrimpl bfmrtime

RUN_RANKED := mf fm bpr-mf bpr-fm seq-fm seq als
RUN_RANK_CURVES := bpr-mf bpr-fm seq-fm seq als   # the models trained to rank
RUN_MODELS := mf-d2l mf fm-d2l fm fmside-d2l fmside deepfm-d2l deepfm deepfmside-d2l deepfmside \
              bfmr bfmrside bfmrimpl bfmrtime bfm bfmside
# the popularity baseline beside the models: what a recommender must beat
$(RUN)/rk-popularity-1.rank: $(RUN)/split-seq.mp $(BINDIR)/rs-eval
	{ $(B)/rs-eval --rank --baseline popularity < $<; \
	  $(B)/rs-eval --rank --baseline popularity --negatives 99 < $< | sed 's/^/sampled_/'; } > $@
.SECONDARY:

$(RUN)/report.md: $(foreach m,$(RUN_MODELS),$(foreach s,$(SEEDS),$(RUN)/$(m)-$(s).metrics) $(RUN)/$(m)-1.png) \
                  $(foreach m,$(RUN_THRESHOLDED),$(foreach s,$(SEEDS),$(RUN)/$(m)-$(s).clicks)) \
                  $(foreach m,$(RUN_RANKED),$(foreach s,$(SEEDS),$(RUN)/rk-$(m)-$(s).rank)) \
                  $(foreach m,$(RUN_RANK_CURVES),$(RUN)/rk-$(m)-1.png) $(RUN)/rk-popularity-1.rank pipelines/report.sh
	RUN=$(RUN) SEEDS="$(SEEDS)" BINDIR=$(B) THRESHOLDED="$(RUN_THRESHOLDED)" RANKED="$(RUN_RANKED)" \
	  sh pipelines/report.sh $(RUN_MODELS) > $@.tmp && mv $@.tmp $@

run-all: $(RUN)/report.md
	@sed -n '/^| model/,/^$$/p' $<
	@echo "report: $<; learning curves: $(RUN)/*-1.png"

# ranking on the seq-aware split: $(RUN)/rk-<model>-<seed>.bin, one split,
# the trainer's seed varied. RANK_RULE name, stream, trainer, options.
$(RUN)/ctr-seq.mp: $(RUN)/split-seq.mp $(BINDIR)/ml-ctr
	$(B)/ml-ctr -q < $< > $@
$(RUN)/hist-seq.mp: $(RUN)/split-seq.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q --history 3 < $< > $@
$(RUN)/seqs-seq.mp: $(RUN)/split-seq.mp $(BINDIR)/ml-onehot
	$(B)/ml-onehot -q --seq < $< > $@
define RANK_RULE
$(RUN)/rk-$(1)-%.bin: $(RUN)/$(2)-seq.mp $(BINDIR)/$(3)
	$(B)/$(3) -q $(4) --seed $$* --log $$(@:.bin=.log) -o $$@ < $$<
$(RUN)/rk-$(1)-%.rank: $(RUN)/rk-$(1)-%.bin $(BINDIR)/rs-eval
	{ $(B)/rs-eval -m $$< --rank < $(RUN)/$(2)-seq.mp; \
	  $(B)/rs-eval -m $$< --rank --negatives 99 < $(RUN)/$(2)-seq.mp | sed 's/^/sampled_/'; } > $$@
endef
$(eval $(call RANK_RULE,mf,split,mf-train,))
$(eval $(call RANK_RULE,fm,ctr,fm-train,))
$(eval $(call RANK_RULE,bpr-mf,split,mf-train,--loss bpr))
$(eval $(call RANK_RULE,bpr-fm,split,fm-train,--loss bpr))
$(eval $(call RANK_RULE,seq-fm,hist,fm-train,--loss bpr))
$(eval $(call RANK_RULE,seq,seqs,fm-train,--preset seq))
$(eval $(call RANK_RULE,als,split,als-train,))

