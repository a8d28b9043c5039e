/* driver.c: replay files through a harness without libFuzzer, for `make
 * test` (and so under check-asan's sanitizers): each argument is a file, or
 * a folder whose files are all replayed. Prints one TAP line. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the library's error paths leave memory held (fuzz.h); LeakSanitizer would
 * report every one */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 4096)))
			exit(1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

int main(int argc, char **argv)
{
	int count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st))
			continue;
		if (!S_ISDIR(st.st_mode)) {
			count += replay(argv[i]);
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			count += replay(path);
		}
		if (d)
			closedir(d);
	}
	const char *name = strrchr(argv[0], '/');
	printf("1..1\n%sok - %s: %d inputs replayed without a finding\n", count ? "" : "not ", name ? name + 1 : argv[0], count);
	return count ? 0 : 1;
}
