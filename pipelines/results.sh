#!/bin/sh
# results.sh MODEL...: each model's test metrics over the seeds, as
# model<TAB>seed<TAB>metric<TAB>value, from rs-eval on its own stream.
set -eu
for m in "$@"; do
	for bin in "$RUN/$m"-*.bin; do
		seed=${bin##*-}; seed=${seed%.bin}
		case $m in
			mf-*) stream=split ;;
			fmside-*|deepfmside-*) stream=side ;;
			*) stream=ctr ;;
		esac
		"$BINDIR/rs-eval" -m "$bin" < "$RUN/$stream-$seed.mp" |
			awk -F'\t' -v m="$m" -v s="$seed" '$1 != "n" { print m "\t" s "\t" $1 "\t" $2 }'
	done
done
