# tap.awk: check one producer's TAP stream and tally it, for tests/run.sh.
# Input: what the producer printed, then the line "#rs-exit STATUS" that
# run.sh appends once the producer has exited. Every line is passed through;
# a skip is counted apart from the passes and named on stderr; a missing or
# second plan, a plan that disagrees with the tests seen, "Bail out!", a
# missing exit line (the stream was cut) or a non-zero exit with no failed
# test each add one failure of their own. The last line printed is
# "#rs-tally PASSED FAILED SKIPPED".
function broken(why) { print "not ok - " name ": " why; failed++ }
/^#rs-exit / { status = $2; next }
{ print; fflush() }
/^1\.\.[0-9]+/ { plans++; planned = substr($1, 4) + 0; next }
/^ok( |$)/ {
	tests++
	if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) {
		skipped++
		print name ": skipped: " $0 > "/dev/stderr"
	} else
		passed++
	next
}
/^not ok( |$)/ { tests++; failed++; notok++; next }
/^Bail out!/ { bailed = 1 }
END {
	if (bailed)
		broken("bailed out")
	if (plans == 0)
		broken("no plan: the TAP stream was cut short, or never began")
	else if (plans > 1)
		broken(plans " plans in one stream")
	else if (tests != planned)
		broken("the plan says 1.." planned " but " tests + 0 " tests ran")
	if (status == "")
		broken("no exit status: the stream was cut short")
	else if (status != 0 && notok == 0)
		broken("exited with status " status " though no test failed")
	printf "#rs-tally %d %d %d\n", passed, failed, skipped
}
