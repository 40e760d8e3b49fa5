/*
 * logline.c - the kernel log's line layout (see logline.h). Pure: the
 * state is the caller's, guarded by the caller's log lock.
 */
#include "logline/logline.h"

enum { AT_START, KERNEL_MID, USER_MID };

static void both(const struct logline_out *out, const char *s, size_t n)
{
	out->ring(out->ctx, s, n);
	out->console(out->ctx, s, n);
}

void logline_write(struct logline *l, enum logline_who who, const char *s, size_t n,
		   const struct logline_out *out)
{
	int mine = who == LOGLINE_KERNEL ? KERNEL_MID : USER_MID;
	if (n && l->state != AT_START && l->state != mine) {
		both(out, "\n", 1); /* the other side's unfinished line ends here */
		l->state = AT_START;
	}
	const char *p = s, *end = s + n;
	while (p < end) {
		if (l->state == AT_START) {
			char st[LOGLINE_PREFIX_MAX];
			size_t sl = out->stamp(out->ctx, st);
			if (sl > sizeof st)
				sl = sizeof st;
			out->ring(out->ctx, st, sl);
			if (who == LOGLINE_KERNEL) /* a program's bytes reach the console raw */
				out->console(out->ctx, st, sl);
		}
		const char *nl = p;
		while (nl < end && *nl != '\n')
			nl++;
		size_t seg = (size_t)(nl - p) + (nl < end);
		both(out, p, seg);
		l->state = nl < end ? AT_START : mine;
		p += seg;
	}
}
