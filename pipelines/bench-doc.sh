#!/bin/sh
# bench-doc.sh: run a bench, its table on stdout as it comes, and when it
# succeeds put the table, dated and with the machine, in DOC between the
# lines BEGIN and END below, the rest of DOC byte for byte as it was. A
# failed bench leaves DOC as it was: its figures would be partial.
# Usage (from `make bench`): sh pipelines/bench-doc.sh DOC COMMAND [ARG...]
set -eu
[ $# -ge 2 ] || { echo "usage: bench-doc.sh DOC COMMAND [ARG...]" >&2; exit 2; }
doc=$1
shift
begin='<!-- make bench: begin -->'
end='<!-- make bench: end -->'

# the markers checked before the bench, not after its hour
if [ "$(grep -cxF -e "$begin" "$doc")" != 1 ] || [ "$(grep -cxF -e "$end" "$doc")" != 1 ] ||
	[ "$(grep -nxF -e "$begin" "$doc" | cut -d: -f1)" -gt "$(grep -nxF -e "$end" "$doc" | cut -d: -f1)" ]; then
	echo "bench-doc.sh: $doc: expected one line '$begin', then one line '$end'" >&2
	exit 1
fi

# the new file beside DOC, so that the rename cannot cross file systems
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-doc.XXXXXX")
new=$(mktemp "$(dirname "$doc")/.bench-doc.XXXXXX")
trap 'rm -rf "$tmp"; rm -f "$new"' EXIT
trap 'exit 1' HUP INT TERM

# a pipe drops its left side's status: the bench writes its own
{ rc=0; "$@" || rc=$?; echo "$rc" > "$tmp/rc"; } | tee "$tmp/table"
rc=$(cat "$tmp/rc")
if [ "$rc" != 0 ]; then
	echo "bench-doc.sh: the bench failed (exit $rc): $doc left as it was" >&2
	exit "$rc"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
	echo "Measured $(date -u +%Y-%m-%d) (UTC) on:"
	echo
	echo "- $(nproc) cores (\`nproc\`) of ${cpu:-a CPU /proc/cpuinfo does not name}"
	echo "- $mem of memory"
	echo "- $(cc --version | head -n 1)"
	echo "- Debian $(cat /etc/debian_version 2>/dev/null || echo '(none: no /etc/debian_version)')"
	echo
	echo '```'
	cat "$tmp/table"
	echo '```'
} > "$tmp/section"
# DOC's lines to BEGIN and from END as they are; the section's between them
awk -v b="$begin" -v e="$end" -v sect="$tmp/section" '
	$0 == e { out = 0 }
	!out { print }
	$0 == b { while ((getline l < sect) > 0) print l; out = 1 }' "$doc" > "$new"
chmod "$(stat -c %a "$doc")" "$new"
mv -f "$new" "$doc"
