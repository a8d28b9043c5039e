#!/bin/sh
# run.sh BUILD SECONDS NAME...: libFuzzer on each harness for SECONDS, two at
# a time (the machine's cores), each seeded with its committed corpus and
# regressions and growing work/fuzz/NAME. Exits 1 on any finding, naming it.
set -u
build=$1 seconds=$2
shift 2
fail=0
for name in "$@"; do echo "$name"; done | xargs -P 2 -I{} sh -c '
	name={} dir=work/fuzz/{}
	mkdir -p "$dir/corpus"
	regress=tests/fuzz/regress/$name
	[ -d "$regress" ] || regress=
	if "'"$build"'/fuzz_$name" -max_total_time='"$seconds"' -timeout=10 -rss_limit_mb=2048 \
		-detect_leaks=0 -print_final_stats=1 -artifact_prefix="$dir/" \
		"$dir/corpus" "tests/fuzz/corpus/$name" $regress > "$dir/log" 2>&1; then
		echo "fuzz $name: $(grep -o "stat::number_of_executed_units: *[0-9]*" "$dir/log" | grep -o "[0-9]*$") runs in '"$seconds"' s, no finding"
	else
		echo "fuzz $name: FINDING, see $dir/log; reproduce with '"$build"'/fuzz_$name $(ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* "$dir"/leak-* 2>/dev/null | head -1)" >&2
		tail -30 "$dir/log" >&2
		exit 1
	fi
' || fail=1
exit $fail
