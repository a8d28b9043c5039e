#!/bin/sh
# report.sh MODEL...: the report of `make run` as Markdown on stdout, from
# the .metrics, .log and .rank files in $RUN for the seeds in $SEEDS.
set -eu

# cell MODEL METRIC [EXT]: mean ± standard deviation of METRIC over the
# seeds, from the .metrics files (or .EXT)
cell() {
	for s in $SEEDS; do
		awk -v k="$2" '$1 == k { print $2 }' "$RUN/$1-$s.${3:-metrics}"
	done | awk '{ s += $1; q += $1 * $1; n++ }
		END { m = s / n; sd = n > 1 ? sqrt((q - n * m * m) / (n - 1)) : 0; if (sd != sd) sd = 0
		      printf "%.4f ± %.4f", m, sd }'
}

cat <<HEAD
# rspipe on MovieLens-100K

Made by \`make run\` on $(uname -m) with $(nproc) cores, $(date -u +%Y-%m-%d).
Random 90/10 splits, seeds $SEEDS; a click is a rating above 3. Test metrics
are mean ± standard deviation over the seeds; epochs are those kept / run;
seconds are the training time of one run (the sum of its log's epochs).

| model | task | features | configuration | test metric | other test metrics | epochs | seconds | curve |
|---|---|---|---|---|---|---|---|---|
HEAD
for m in "$@"; do
	case $m in
		mf*|bfmr*) task=rating metric=rmse ;;
		*) task=click metric=auc ;;
	esac
	case $m in *time*) feat="ids + side + implicit + time" ;; *impl*) feat="ids + side + implicit" ;;
		*side*) feat="ids + side" ;; *) feat=ids ;; esac
	case $m in *-d2l) conf="preset d2l" ;; bfm*) conf="--method mcmc" ;; *) conf=defaults ;; esac
	kind=${m%%-*}; kind=${kind%side}
	case $m in bfm*) kind=fm ;; esac
	if [ $task = click ]; then more="logloss accuracy"; else more=mae; fi
	other=$(for k in $more; do printf '%s%s %s' "${sep-}" $k "$(cell $m $k)"; sep=', '; done)
	unset sep
	epochs=$(for s in $SEEDS; do
		"$BINDIR/rs-show" "$RUN/$m-$s.bin" | awk -F'\t' '$1 == "epochs" { split($2, w, " "); print w[3] }'
		awk 'END { print NR - 1 }' "$RUN/$m-$s.log"
	done | awk 'NR % 2 { k += $1 } !(NR % 2) { r += $1; n++ } END { printf "%.1f / %.1f", k / n, r / n }')
	secs=$(for s in $SEEDS; do awk -F'\t' 'NR > 1 { t += $NF } END { print t }' "$RUN/$m-$s.log"; done |
		awk '{ t += $1; n++ } END { printf "%.2f", t / n }')
	echo "| $kind | $task | $feat | $conf | $metric $(cell $m $metric) | $other | $epochs | $secs | [png]($m-1.png) |"
done
cat <<CLICKS

## Rating models scored against clicks

\`rs-eval --threshold 3\`: each rating model's predicted ratings ranked
against the click labels (rating > 3) of the same test records; a 1-5
rating carries more than the click's bit.

| model | features | auc | accuracy at 3 |
|---|---|---|---|
CLICKS
for m in ${THRESHOLDED-}; do
	case $m in bfmrimpl*) feat="ids + side + implicit" conf="fm --method mcmc" ;;
		bfmrtime*) feat="ids + side + implicit + time" conf="fm --method mcmc" ;; *) feat=ids conf=mf ;; esac
	echo "| $conf | $feat | $(cell $m auc clicks) | $(cell $m accuracy clicks) |"
done
cat <<HYPER

## Hyperparameters

Every hyperparameter of each configuration, as its seed-1 model file keeps
it (\`rs-show MODEL\`; the trainers' option table, lib/model/hparams.c, makes both).

| model | configuration | hyperparameters |
|---|---|---|
HYPER
for m in "$@"; do
	case $m in *-d2l) conf="preset d2l" ;; *) conf=defaults ;; esac
	hyper=$("$BINDIR/rs-show" "$RUN/$m-1.bin" | awk -F'\t' '$1 == "hyper" { print $2 }')
	echo "| $m | $conf | $hyper |"
done
cat <<MID

## Ranking on the seq-aware split

Each user's latest rating is the test item. Full: ranked among every item
the user did not rate in train; sampled: against 99 unrated items (the NCF
and d2l protocol). Mean and sd over trainer seeds $(echo $SEEDS | tr ' ' ','), all with
their tool's defaults: mf and fm are trained on ratings and clicks; bpr-mf
and bpr-fm are mf-train and fm-train --loss bpr on the ids; seq-fm is
fm-train --loss bpr on ml-onehot --history 3 (each record's three previous
train items); seq is the sequential recommender, fm-train --preset seq on
ml-onehot --seq (the softmax over every item; the window of three, the
latest item, and up to 50 before the window); als is als-train. popularity ranks items by their number of
train records, with no model: what a recommender must beat. Learning
curves of seed 1 (train loss, test HR@10 per epoch or ALS sweep):
[bpr-mf](rk-bpr-mf-1.png), [bpr-fm](rk-bpr-fm-1.png), [seq-fm](rk-seq-fm-1.png),
[seq](rk-seq-1.png), [als](rk-als-1.png).

| model | hr@10 | ndcg@10 | recall@10 | mrr | sampled hr@10 | sampled ndcg@10 |
|---|---|---|---|---|---|---|
MID
for m in popularity $RANKED; do
	ls "$RUN"/rk-$m-*.rank > /dev/null 2>&1 || continue
	# each seed's file by name: rk-seq-* would match seq-fm's too
	for seed in $SEEDS; do cat "$RUN/rk-$m-$seed.rank"; done | awk -F'\t' -v m="$m" '
		{ s[$1] += $2; q[$1] += $2 * $2; n[$1]++ }
		function cell(k,   mu, var) {
			mu = s[k] / n[k]; var = n[k] > 1 ? (q[k] - n[k] * mu * mu) / (n[k] - 1) : 0
			return n[k] > 1 ? sprintf("%.4f +- %.4f", mu, sqrt(var > 0 ? var : 0)) : sprintf("%.4f", mu)
		}
		END { printf "| %s | %s | %s | %s | %s | %s | %s |\n", m, cell("hr@10"), cell("ndcg@10"),
		      cell("recall@10"), cell("mrr"), cell("sampled_hr@10"), cell("sampled_ndcg@10") }'
done
