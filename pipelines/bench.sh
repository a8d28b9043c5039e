#!/bin/sh
# bench.sh: time rspipe's stages; each figure is the median of RUNS runs.
# Prints: stage, input, records, median seconds, records/s, median peak RSS,
# and for trainers the seconds per epoch, ALS sweep or MCMC iteration (the whole run,
# reading included, over the epochs). A trainer's records are the train ratings times the
# epochs: what it fits, not what it reads.
# Usage (from `make bench`): BINDIR=bin RUNS=5 sh pipelines/bench.sh WORKDIR
set -eu
work=$1
runs=${RUNS:-5}
PATH=$BINDIR:$PATH
TIME=/usr/bin/time

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure STAGE INPUT RECORDS COMMAND [EPOCHS]: the command's output goes to
# /dev/null
measure() {
	stage=$1 input=$2 records=$3 cmd=$4 epochs=${5:-0}
	: > "$work/times"
	i=0
	while [ $i -lt "$runs" ]; do
		$TIME -f '%e %M' -o "$work/t1" sh -c "$cmd" > /dev/null
		cat "$work/t1" >> "$work/times"
		i=$((i + 1))
	done
	s=$(cut -d' ' -f1 "$work/times" | median)
	kb=$(cut -d' ' -f2 "$work/times" | median)
	awk -v st="$stage" -v inp="$input" -v n="$records" -v s="$s" -v kb="$kb" -v e="$epochs" 'BEGIN {
		rate = s > 0 ? n / s : 0
		printf "%-14s %-10s %10d %9.3f s %14.0f rec/s %8.1f MB", st, inp, n, s, rate, kb / 1024
		if (e > 0)
			printf " %9.4f s/epoch", s / e
		printf "\n" }'
}

printf "%-14s %-10s %10s %11s %20s %11s %16s\n" stage input records median throughput peak-RSS per-epoch
for set in ml100k synth; do
	txt=$work/$set.tsv
	n=$(wc -l < "$txt")
	ntrain=$(ml-split < "$txt" 2>&1 > "$work/$set.split" | sed -n 's/.* \([0-9]*\) train, .*/\1/p')
	ml-ctr -q < "$work/$set.split" > "$work/$set.ctr"
	measure ml-split "$set" "$n" "ml-split -q < $txt"
	measure ml-ctr "$set" "$n" "ml-ctr -q < $work/$set.split"
	measure ml-onehot "$set" "$n" "ml-onehot -q < $work/$set.ctr"
	# 20 epochs of each d2l preset on ML-100K; one epoch on the synthetic set
	e=$([ $set = ml100k ] && echo 20 || echo 1)
	fit=$((ntrain * e))
	measure "mf-train/${e}ep" "$set" $fit "mf-train -q --preset d2l --epochs $e < $work/$set.split" $e
	measure "fm-train/${e}ep" "$set" $fit "fm-train -q --preset d2l --epochs $e < $work/$set.ctr" $e
	measure "deepfm/${e}ep" "$set" $fit "deepfm-train -q --preset d2l --epochs $e < $work/$set.ctr" $e
	# ranking models: ALS's sweeps on one thread (15 on ML-100K: issue 9's
	# comparison with LIBMF), and BPR epochs with fm-train's --loss bpr
	# defaults (each record a positive against 16 negatives)
	it=$([ $set = ml100k ] && echo 15 || echo 1)
	measure "als/${it}it" "$set" $((ntrain * it)) \
		"als-train -q --threads 1 --factors 64 --iters $it < $work/$set.split" $it
	e=$([ $set = ml100k ] && echo 5 || echo 1)
	measure "fm-bpr/${e}ep" "$set" $((ntrain * e)) \
		"fm-train -q --loss bpr --valid-ratio 0 --early-stop 0 --epochs $e < $work/$set.split" $e
	# Gibbs sampling of a Bayesian FM on the ratings (ids, 8 factors)
	it=$([ $set = ml100k ] && echo 20 || echo 1)
	measure "mcmc/${it}it" "$set" $((ntrain * it)) \
		"fm-train -q --method mcmc --burn-in 0 --iters $it < $work/$set.split" $it
	# the shared loop on 2 threads, and on 2 MPI ranks where mpirun exists
	e=$([ $set = ml100k ] && echo 20 || echo 1)
	measure "mf-train/2thr" "$set" $((ntrain * e)) \
		"mf-train -q --preset d2l --epochs $e --threads 2 < $work/$set.split" $e
	if command -v mpirun > /dev/null; then
		measure "mf-train/2mpi" "$set" $((ntrain * e)) \
			"OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 2 $BINDIR/mf-train -q --preset d2l --epochs $e -o /dev/null < $work/$set.split" $e
	fi
	if [ $set = ml100k ]; then   # every user's top 10, records = users x items scored
		mf-train -q --preset d2l < "$work/$set.split" > "$work/mf.bin"
		measure "rs-recommend" "$set" $((943 * 1682)) "rs-recommend -m $work/mf.bin < $work/$set.split"
		rm -f "$work/mf.bin"
	fi
	rm -f "$work/$set.split" "$work/$set.ctr"
done

# ranking losses (issue 20): one epoch of BPR with 16 negatives, of the
# sampled softmax with 128 shared negatives and of the full softmax, on the
# sequential FM's stream (ml-onehot --history 3) of ML-100K's seq-aware
# split and of 1M and 10M synthlog events; ranking every user of ML-100K;
# one ALS sweep on 1 process and on 2 ranks. The records are the train
# events fitted.
one_epoch="--valid-ratio 0 --early-stop 0 --epochs 1"
rank_bench() {   # SET STREAM TRAIN
	measure "fm-bpr16/1ep" "$1" "$3" "fm-train -q --loss bpr $one_epoch < $2" 1
	measure "fm-ssm128/1ep" "$1" "$3" "fm-train -q --loss sampled-softmax --negatives 128 $one_epoch < $2" 1
	measure "fm-softmax/1ep" "$1" "$3" "fm-train -q --loss softmax $one_epoch < $2" 1
}
ml-split -q --split seq-aware < "$work/ml100k.tsv" > "$work/seq.split"
ml-onehot -q --history 3 < "$work/seq.split" > "$work/seq.mp"
rank_bench ml100k-seq "$work/seq.mp" 99057
fm-train -q --loss softmax --epochs 10 < "$work/seq.mp" > "$work/seq.bin"
measure "rs-recommend/seq" ml100k-seq $((943 * 1682)) "rs-recommend -k 10 -m $work/seq.bin < $work/seq.mp"
# --serve (issue 21): 10,000 requests for users drawn at random, piped in
# at once (records: requests, the load included), then one in flight at a
# time as a client sees them, the pipe's round trip included
serve_bench() {   # SET MODEL STREAM USERS
	awk 'BEGIN { srand(1) } { u[NR] = $0 } END { for (r = 0; r < 10000; r++) print u[int(rand() * NR) + 1] }' "$4" > "$work/req"
	measure "serve/10k" "$1" 10000 "rs-recommend -q --serve -m $2 $3 < $work/req"
	printf '%-14s %-10s %s\n' serve/latency "$1" "$(python3 "$(dirname "$0")/serve-latency.py" "$work/req" rs-recommend -q --serve -m "$2" "$3")"
}
seq 943 > "$work/users"
serve_bench ml100k-seq "$work/seq.bin" "$work/seq.mp" "$work/users"
measure "als/1it" ml100k-seq 99057 "als-train -q --threads 1 --iters 1 -o /dev/null < $work/seq.split" 1
if command -v mpirun > /dev/null; then
	measure "als/1it-2mpi" ml100k-seq 99057 \
		"OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 2 $BINDIR/als-train -q --threads 1 --iters 1 -o /dev/null < $work/seq.split" 1
fi
rm -f "$work/seq.split" "$work/seq.mp" "$work/seq.bin" "$work/req" "$work/users"
# the ranking losses' threads and row-wise steps (issue 34) on $work/log.tsv:
# one epoch of each loss on 1 and 2 threads, then the sequential
# recommender's whole run to its early stop, one run each (minutes; at 25M
# events, half an hour). The full softmax only where asked: over 200,000
# items an epoch of it is hours.
threads_bench() {   # SET EVENTS [softmax]
	for t in 1 2; do
		o="--threads $t $one_epoch"
		measure "bpr16-row/${t}thr" "$1" "$2" "fm-train -q --loss bpr --optimizer adam-row $o < $work/log.mp" 1
		measure "bpr16-ada/${t}thr" "$1" "$2" "fm-train -q --loss bpr $o < $work/log.mp" 1
		measure "ssm256/${t}thr" "$1" "$2" "fm-train -q --loss sampled-softmax --negatives 256 $o < $work/log.mp" 1
		if [ "${3:-}" = softmax ]; then
			measure "softmax/${t}thr" "$1" "$2" "fm-train -q --loss softmax $o < $work/log.mp" 1
		fi
	done
	ml-split -q --split seq-aware --min-user 3 "$work/log.tsv" | ml-onehot -q --seq > "$work/seq.mp"
	runs_all=$runs runs=1
	for t in 1 2; do
		measure "preset-seq/${t}thr" "$1" "$2" "fm-train -q --preset seq --threads $t < $work/seq.mp"
	done
	runs=$runs_all
	rm -f "$work/seq.mp"
}
if [ -f "${PEERS_DIR:-}/synthlog.c" ]; then
	cc -O2 -o "$work/synthlog" "$PEERS_DIR/synthlog.c" -lm
	for n in 1000000 10000000; do   # the issue's log: 5,000 items, 20 events a user
		"$work/synthlog" "$n" $((n / 50)) 5000 7 > "$work/log.tsv"
		ml-split -q --split seq-aware --min-user 3 "$work/log.tsv" | ml-onehot -q --history 3 > "$work/log.mp"
		rank_bench "log-$n" "$work/log.mp" "$n"
		if [ "$n" = 1000000 ]; then
			threads_bench "log-$n" "$n" softmax
		fi
		if [ "$n" = 1000000 ]; then   # ALS on the log's ids, served
			ml-split -q --split seq-aware --min-user 3 "$work/log.tsv" > "$work/log-ids.mp"
			als-train -q < "$work/log-ids.mp" > "$work/log-als.bin"
			rs-show "$work/log-ids.mp" | awk -F'\t' 'NR > 1 { print $2 }' | sort -u > "$work/users"
			serve_bench "log-$n" "$work/log-als.bin" "$work/log-ids.mp" "$work/users"
			rm -f "$work/log-ids.mp" "$work/log-als.bin"
		fi
	done
	# the ranking issue's large log (RANK_LOG_N events, 1M users, 200,000
	# items; 0 leaves it out): one run of each row
	if [ "${RANK_LOG_N:-0}" -gt 0 ]; then
		"$work/synthlog" "$RANK_LOG_N" 1000000 200000 7 > "$work/log.tsv"
		ml-split -q --split seq-aware --min-user 3 "$work/log.tsv" | ml-onehot -q --history 3 > "$work/log.mp"
		runs_rank=$runs runs=1
		threads_bench "log-$RANK_LOG_N" "$RANK_LOG_N"
		runs=$runs_rank
	fi
	rm -f "$work/log.tsv" "$work/log.mp" "$work/synthlog" "$work/req" "$work/users"
fi

# the attention model (sasrec-train) beside the PyTorch SASRec of
# ../shared/peers (d 64, 2 blocks, 1 head, maxlen 50, batch 128, the same
# loss), two epochs each on 1 and 2 threads: ML-100K's seq-aware split,
# Amazon Beauty (BEAUTY, when there) and 1M synthlog events (users 3+).
# The records are the train events; the peer's own seconds per epoch
# follow its row (its process time includes loading torch).
sasrec_bench() {   # SET TEXT EVENTS
	ml-split -q --split seq-aware --min-user 3 "$2" > "$work/sr.mp"
	for loss in sampled-softmax softmax; do
		ploss=$([ $loss = softmax ] && echo ce || echo ss)
		for t in 1 2; do
			measure "sasrec-$ploss/${t}thr" "$1" $(($3 * 2)) \
				"sasrec-train -q --threads $t --loss $loss --epochs 2 --valid-ratio 0 --early-stop 0 -o $work/sr.bin $work/sr.mp" 2
		done
		if [ -x "${PEERS_DIR:-}/sasrec.py" ] && /usr/bin/python3 -c 'import torch' 2> /dev/null; then
			measure "torch-$ploss/1thr" "$1" $(($3 * 2)) "${PEERS_DIR}/sasrec.py --threads 1 --loss $ploss --time-epochs 2 $2" 2
			printf '%-14s %-10s %s\n' "torch-$ploss/own" "$1" "$("${PEERS_DIR}/sasrec.py" --threads 1 --loss "$ploss" --time-epochs 2 "$2" 2>&1 | tail -1)"
		fi
	done
	rm -f "$work/sr.mp" "$work/sr.bin"
}
sort -t"$(printf '\t')" -k1,1n -k4,4n "$work/ml100k.tsv" | cut -f1,2 > "$work/ml100k-seq.tsv"
sasrec_bench ml100k "$work/ml100k-seq.tsv" 100000
rm -f "$work/ml100k-seq.tsv"
if [ -f "${BEAUTY:-}" ]; then
	sasrec_bench beauty "$BEAUTY" 198502
fi
if [ -f "${PEERS_DIR:-}/synthlog.c" ]; then
	cc -O2 -o "$work/synthlog" "$PEERS_DIR/synthlog.c" -lm
	"$work/synthlog" 1000000 20000 5000 7 > "$work/log.tsv"
	sasrec_bench log-1000000 "$work/log.tsv" 1000000
	rm -f "$work/log.tsv" "$work/synthlog"
fi

# event logs: synthlog's string ids, no rating (users and items as the
# ranking issue's 25M-event log: 1M users, 200K items); time linear in the
# events, memory per event
if [ -f "${PEERS_DIR:-}/synthlog.c" ]; then
	cc -O2 -o "$work/synthlog" "$PEERS_DIR/synthlog.c" -lm
	for n in $((LOG_N / 10)) "$LOG_N"; do
		"$work/synthlog" "$n" 1000000 200000 7 > "$work/log.tsv"
		measure ml-split/log "log-$n" "$n" "ml-split -q --split seq-aware $work/log.tsv"
		awk -v n="$n" -v kb="$kb" 'BEGIN { printf "%-14s %-10s %10d %29.1f B/event peak\n", "ml-split/log", "log-" n, n, kb * 1024 / n }'
	done
	# the ranking losses' epoch at this size (users 3+, history 3), one
	# run each: BPR with 16 negatives and the sampled softmax with 256, on
	# 1 and 2 threads. Not the full softmax: its logits are a batch's
	# records times 200K items, about 10G multiply-adds a batch of
	# 256 and 0.9P an epoch: hours on two cores.
	ml-split -q --split seq-aware --min-user 3 "$work/log.tsv" | ml-onehot -q --history 3 > "$work/log.mp"
	runs_all=$runs runs=1
	for t in 1 2; do
		o="--threads $t $one_epoch"
		measure "bpr16-ada/${t}thr" "log-$LOG_N" "$LOG_N" "fm-train -q --loss bpr $o < $work/log.mp" 1
		measure "ssm256/${t}thr" "log-$LOG_N" "$LOG_N" "fm-train -q --loss sampled-softmax --negatives 256 $o < $work/log.mp" 1
	done
	runs=$runs_all
	rm -f "$work/log.tsv" "$work/log.mp" "$work/synthlog"
else
	echo "ml-split/log: no ${PEERS_DIR:-PEERS_DIR}/synthlog.c, event-log rows left out" >&2
fi

# matrix factorization against LIBMF (issue 22), when ../shared/peers is
# there: synth's 2.5M ratings (RUNS runs) and 25M (one run: minutes each),
# ml-split --seed 1, 30 factors, 20 epochs, no validation, 1 and 2 threads;
# LIBMF on the same train records as 'user item rating' lines
if [ -f "${PEERS_DIR:-}/build.sh" ]; then
	peers=$work/peers
	sh "$PEERS_DIR/build.sh" "$peers" > /dev/null
	mf_vs_libmf() {   # N USERS ITEMS
		"$peers/synth" "$1" "$2" "$3" 7 > "$work/syn.tsv"
		ml-split -q --seed 1 < "$work/syn.tsv" > "$work/syn.mp"
		rs-show "$work/syn.mp" | awk -F'\t' -v dir="$work" 'NR > 1 { print $2 " " $3 " " $4 > (dir ($1 == 0 ? "/syn.train" : "/syn.test")) }'
		ntrain=$(wc -l < "$work/syn.train")
		for t in 1 2; do
			measure "mf-adagrad/${t}thr" "syn-$1" $((ntrain * 20)) \
				"mf-train -q --optimizer adagrad --factors 30 --epochs 20 --valid-ratio 0 --early-stop 0 --threads $t -o $work/syn.bin $work/syn.mp" 20
			printf '%-14s %-10s %s\n' "mf-adagrad/rmse" "syn-$1" "$(rs-eval -q -m "$work/syn.bin" "$work/syn.mp" 2>/dev/null | awk '$1 == "rmse" { print $2 }')"
			measure "libmf/${t}thr" "syn-$1" $((ntrain * 20)) \
				"$peers/libmf/mf-train -f 0 -k 30 -t 20 -s $t --quiet $work/syn.train $work/syn.model" 20
			printf '%-14s %-10s %s\n' "libmf/rmse" "syn-$1" "$("$peers/libmf/mf-predict" -e 0 "$work/syn.test" "$work/syn.model" "$work/syn.out" | sed 's/RMSE = //')"
		done
		rm -f "$work/syn.tsv" "$work/syn.mp" "$work/syn.train" "$work/syn.test" "$work/syn.bin" "$work/syn.model" "$work/syn.out"
	}
	mf_vs_libmf 2500000 160000 60000
	runs_all=$runs runs=1
	mf_vs_libmf 25000000 1600000 600000
	runs=$runs_all

	# Bayesian FMs against libFM's MCMC (issue 23), ML-100K split 1, 8
	# factors, libFM on the same features as libsvm lines: side features,
	# 100 iterations on 1 and 2 threads; then side + implicit + time per
	# iteration (20 of rspipe's, 5 of libFM's, whose implicit field is slow)
	if [ -n "${ML100K_DIR:-}" ]; then
		ml-split -q --seed 1 < "$work/ml100k.tsv" > "$work/b.split"
		libsvm() {   # STREAM: its train and test records as libFM's lines
			rs-show --dense "$1" | awk -F'\t' -v dir="$work" 'NR > 1 {
				n = split($6, x, ","); split($7, v, ","); line = $4
				for (i = 1; i <= n; i++) line = line " " x[i] ":" (v[i] == "" ? 1 : v[i])
				print line > (dir ($1 == 0 ? "/b.train" : "/b.test")) }'
		}
		libfm="$peers/libfm/bin/libFM -task r -train $work/b.train -test $work/b.test -method mcmc -dim 1,1,8 -init_stdev 0.1 -seed 42"
		mcmc_vs_libfm() {   # NAME ITERS LIBFM-ITERS ML-ONEHOT-OPTION...
			name=$1 it=$2 lit=$3
			shift 3
			ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" "$@" < "$work/b.split" > "$work/b.mp"
			libsvm "$work/b.mp"
			for t in 1 2; do
				measure "mcmc-$name/${t}thr" ml100k $((90000 * it)) \
					"fm-train -q --method mcmc --iters $it --burn-in 5 --thin 1 --threads $t < $work/b.mp" "$it"
			done
			measure "libfm-$name" ml100k $((90000 * lit)) "$libfm -iter $lit" "$lit"
		}
		mcmc_vs_libfm side 100 100
		mcmc_vs_libfm time 20 5 --implicit --time
		# FM's fused solver against libFM's SGD (issue 22): side features,
		# 16 factors, ratings, 100 epochs of each, libFM at its best of a
		# grid (docs/tuning.md); the test RMSE of libFM's run and of the
		# fused solver's defaults (it stops early on 5% of the train records)
		ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < "$work/b.split" > "$work/b.mp"
		libsvm "$work/b.mp"
		measure "fm-adagrad" ml100k $((90000 * 100)) \
			"fm-train -q --optimizer adagrad --epochs 100 --valid-ratio 0 --early-stop 0 -o /dev/null $work/b.mp" 100
		fm-train -q --optimizer adagrad -o "$work/b.bin" "$work/b.mp"
		printf '%-14s %-10s %s\n' "fm-adagrad/rmse" ml100k "$(rs-eval -q -m "$work/b.bin" "$work/b.mp" | awk '$1 == "rmse" { print $2 }')"
		sgd="$peers/libfm/bin/libFM -task r -train $work/b.train -test $work/b.test -method sgd -dim 1,1,16 -iter 100 -learn_rate 0.002 -regular 0,0.05,0.05 -init_stdev 0.1 -seed 42"
		measure "libfm-sgd" ml100k $((90000 * 100)) "$sgd" 100
		printf '%-14s %-10s %s\n' "libfm-sgd/rmse" ml100k "$($sgd | awk -F'\t' '/^#Iter/ { r = $3 } END { sub("Test=", "", r); print r }')"
		rm -f "$work/b.bin"
		rm -f "$work/b.split" "$work/b.mp" "$work/b.train" "$work/b.test"
	fi

	# click logs of many fields (issue 32): synthctr's 2M lines (RUNS runs)
	# and CTR_N (a Criteo day, 45M: one run, minutes each step), the last
	# 10% of lines test, hour and weekday categorical, numbers in log2
	# buckets, values seen once a shared rare feature; one epoch of
	# ffm-train on 1 and 2 threads and of fm-train; libffm (k 4) on the same
	# features from its binary file, written once first; at 2M libFM's
	# MCMC (k 8) too, its seconds per iteration over 5
	ctr_vs_peers() {   # N
		"$peers/synthctr" "$1" 1 > "$work/ctr.tsv" 2> /dev/null
		split="ml-split -q --format click --split time --categorical hour --categorical weekday"
		measure ml-split/ctr "ctr-$1" "$1" "$split $work/ctr.tsv"
		$split "$work/ctr.tsv" > "$work/ctr.split"
		rm -f "$work/ctr.tsv"
		measure ml-onehot/ctr "ctr-$1" "$1" "ml-onehot -q --numbers log2 --min-count 2 < $work/ctr.split"
		ml-onehot -q --numbers log2 --min-count 2 < "$work/ctr.split" > "$work/ctr.mp"
		rm -f "$work/ctr.split"
		ntrain=$(($1 - $1 / 10))
		for t in 1 2; do
			measure "ffm/${t}thr" "ctr-$1" "$ntrain" "ffm-train -q --threads $t $one_epoch -o $work/ctr.bin $work/ctr.mp" 1
		done
		measure fm/1thr "ctr-$1" "$ntrain" "fm-train -q $one_epoch -o $work/ctr.bin $work/ctr.mp" 1
		sh pipelines/libffm-text.sh "$work/ctr.mp" "$work/ctr"
		rm -f "$work/ctr.mp" "$work/ctr.bin"
		# libffm writes its binary file in the folder it runs in (the
		# text's name + .bin): run in the work folder, not the project's
		libffm="$(cd "$peers" && pwd)/libffm/ffm-train"
		(cd "$work" && "$libffm" -k 4 -t 1 -s 1 ctr.train.ffm ctr.model > /dev/null)
		for t in 1 2; do
			measure "libffm/${t}thr" "ctr-$1" "$ntrain" "cd $work && $libffm -k 4 -t 1 -s $t ctr.train.ffm ctr.model" 1
		done
		if [ "$1" -le 2000000 ]; then
			for f in train test; do   # libFM's lines: the same features, no field
				awk '{ for (i = 2; i <= NF; i++) sub(/^[0-9]+:/, "", $i); print }' "$work/ctr.$f.ffm" > "$work/ctr.$f.libfm"
			done
			measure libfm-mcmc "ctr-$1" $((ntrain * 5)) "$peers/libfm/bin/libFM -task c -train $work/ctr.train.libfm -test $work/ctr.test.libfm -method mcmc -dim 1,1,8 -iter 5 -init_stdev 0.1 -seed 42" 5
		fi
		rm -f "$work"/ctr.*.ffm "$work"/ctr.*.ffm.bin "$work"/ctr.*.libfm "$work/ctr.model"
	}
	ctr_vs_peers 2000000
	runs_all=$runs runs=1
	ctr_vs_peers "$CTR_N"
	runs=$runs_all
else
	echo "mf-adagrad, mcmc, ffm: no ${PEERS_DIR:-PEERS_DIR}/build.sh, the LIBMF, libFM and libffm rows left out" >&2
fi
