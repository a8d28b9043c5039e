# data/: MovieLens, downloaded and checked against the MD5 sums GroupLens
# publishes (files.grouplens.org/datasets/movielens/*.zip.md5); never
# committed (its licence forbids redistribution). With ML100K_DIR set
# elsewhere nothing is fetched. ML-1M (users.dat, movies.dat, ratings.dat)
# and ML-25M (movies.csv, ratings.csv) are fetched on request:
# `make data-1m`, `make data-25m`.
MOVIELENS_URL ?= https://files.grouplens.org/datasets/movielens
ML100K_MD5 := 0e33842e24a9c977be4e0107933c0723
ML1M_MD5   := c4d9eecfca2ab87c1945afe126590906
ML25M_MD5  := 6b51fb2759a8657d3bfcbfc42b592ada

.PHONY: data data-1m data-25m
data: $(ML100K_DIR)/u.data
data-1m: data/ml-1m/ratings.dat
data-25m: data/ml-25m/ratings.csv

data/ml-100k/u.data:
	@sh data/fetch.sh "$(MOVIELENS_URL)/ml-100k.zip" $(ML100K_MD5) data
data/ml-1m/ratings.dat:
	@sh data/fetch.sh "$(MOVIELENS_URL)/ml-1m.zip" $(ML1M_MD5) data
data/ml-25m/ratings.csv:
	@sh data/fetch.sh "$(MOVIELENS_URL)/ml-25m.zip" $(ML25M_MD5) data
