#!/bin/sh
# bench.sh: time rspipe's stages; each figure is the median of RUNS runs.
# Prints: stage, input, records, median seconds, records/s, median peak RSS.
# Usage (from `make bench`): BINDIR=bin RUNS=5 sh pipelines/bench.sh WORKDIR
set -eu
work=$1
runs=${RUNS:-5}
PATH=$BINDIR:$PATH
TIME=/usr/bin/time

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure STAGE INPUT RECORDS COMMAND: the command reads $in, writes /dev/null
measure() {
	stage=$1 input=$2 records=$3 cmd=$4
	: > "$work/times"
	i=0
	while [ $i -lt "$runs" ]; do
		$TIME -f '%e %M' -o "$work/t1" sh -c "$cmd" > /dev/null
		cat "$work/t1" >> "$work/times"
		i=$((i + 1))
	done
	s=$(cut -d' ' -f1 "$work/times" | median)
	kb=$(cut -d' ' -f2 "$work/times" | median)
	awk -v st="$stage" -v inp="$input" -v n="$records" -v s="$s" -v kb="$kb" 'BEGIN {
		rate = s > 0 ? n / s : 0
		printf "%-14s %-10s %10d %9.3f s %14.0f rec/s %8.1f MB\n", st, inp, n, s, rate, kb / 1024 }'
}

printf "%-14s %-10s %10s %11s %20s %11s\n" stage input records median throughput peak-RSS
for set in ml100k synth; do
	txt=$work/$set.tsv
	n=$(wc -l < "$txt")
	ml-split -q < "$txt" > "$work/$set.split"
	ml-ctr -q < "$work/$set.split" > "$work/$set.ctr"
	measure ml-split "$set" "$n" "ml-split -q < $txt"
	measure ml-ctr "$set" "$n" "ml-ctr -q < $work/$set.split"
	measure ml-onehot "$set" "$n" "ml-onehot -q < $work/$set.ctr"
	# 20 epochs of each d2l preset on ML-100K; one epoch on the synthetic set
	e=$([ $set = ml100k ] && echo 20 || echo 1)
	measure "mf-train/${e}ep" "$set" "$n" "mf-train -q --preset d2l --epochs $e < $work/$set.split"
	measure "fm-train/${e}ep" "$set" "$n" "fm-train -q --preset d2l --epochs $e < $work/$set.ctr"
	measure "deepfm/${e}ep" "$set" "$n" "deepfm-train -q --preset d2l --epochs $e < $work/$set.ctr"
	if [ $set = ml100k ]; then   # every user's top 10, records = users x items scored
		mf-train -q --preset d2l < "$work/$set.split" > "$work/mf.bin"
		measure "rs-recommend" "$set" $((943 * 1682)) "rs-recommend -m $work/mf.bin < $work/$set.split"
		rm -f "$work/mf.bin"
	fi
	rm -f "$work/$set.split" "$work/$set.ctr"
done
