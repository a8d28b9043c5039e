# tally.awk: sum the producers' "#rs-tally P F S" lines (tests/tap.awk) into
# the suite's last line; exit 1 when a test failed or none passed.
/^#rs-tally / { p += $2; f += $3; s += $4; next }
{ print; fflush() }
END {
	printf "%d passed, %d failed, %d skipped\n", p, f, s
	exit (f > 0 || p == 0)
}
