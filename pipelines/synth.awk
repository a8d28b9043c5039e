# synth.awk: n synthetic ratings in u.data format (tab-separated user, item,
# rating, timestamp) with power-law user and item popularity, for benchmarks.
# Seeded: awk -v n=10000000 -v seed=1 -f pipelines/synth.awk
BEGIN {
	if (!n) n = 1000000
	srand(seed ? seed : 1)
	users = int(n / 100) + 1000; items = int(n / 500) + 1700
	for (i = 0; i < n; i++) {
		# u^3 piles mass on low ids: a few heavy users and blockbuster items
		u = int(users * rand() ^ 3) + 1
		m = int(items * rand() ^ 3) + 1
		r = int(1 + 5 * rand() * rand() + 1.5 * rand()); if (r > 5) r = 5
		printf "%d\t%d\t%d\t%d\n", u, m, r, 874724710 + i * 3
	}
}
