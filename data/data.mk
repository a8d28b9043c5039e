# data/: MovieLens-100K, downloaded and checked; never committed (its licence
# forbids redistribution). With ML100K_DIR set elsewhere nothing is fetched.
ML100K_URL ?= https://files.grouplens.org/datasets/movielens/ml-100k.zip
ML100K_MD5 ?= $(shell cat data/ml-100k.zip.md5)

.PHONY: data
data: $(ML100K_DIR)/u.data

data/ml-100k/u.data:
	@sh data/fetch.sh "$(ML100K_URL)" "$(ML100K_MD5)" data
