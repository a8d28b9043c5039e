/* tap.h: the smallest TAP producer for the C unit tests. */
#ifndef RS_TAP_H
#define RS_TAP_H

#include <setjmp.h>
#include <stdio.h>

#include "cli.h"

static int tap_n, tap_failed;

#define ok(cond, ...)                                                             \
	do {                                                                      \
		int ok_ = (cond);                                                 \
		printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);                 \
		printf(__VA_ARGS__);                                              \
		printf("\n");                                                     \
		if (!ok_) {                                                       \
			tap_failed++;                                             \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                 \
		fflush(stdout);                                                   \
	} while (0)

/* tap_catch(stmt): run stmt; if the library dies, catch it: tap_code is the
 * exit code it would have given (0 when it returned) and tap_msg its
 * message. Locals that stmt changes need volatile to be read afterwards. */
static jmp_buf tap_jmp;
static int tap_code;
static char tap_msg[1024];

static inline void tap_on_die(int code, const char *msg)
{
	tap_code = code;
	snprintf(tap_msg, sizeof tap_msg, "%s", msg);
	longjmp(tap_jmp, 1);
}

#define tap_catch(stmt)                                                           \
	do {                                                                      \
		tap_code = 0;                                                     \
		tap_msg[0] = 0;                                                   \
		rs_set_die_handler(tap_on_die);                                   \
		if (!setjmp(tap_jmp)) {                                           \
			stmt;                                                     \
		}                                                                 \
		rs_set_die_handler(NULL);                                         \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
