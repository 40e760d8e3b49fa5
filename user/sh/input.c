/*
 * input.c - reading one edited line from the console for the interactive
 * shell: lib/ledit does the editing; this file puts the console in raw
 * mode (ISIG off, so Ctrl-C arrives as a byte and only discards the line)
 * while a line is typed and back to ISIG (Ctrl-C signals the foreground
 * job) when it is done, writes the editor's output, keeps the history
 * storage and answers Tab: the first word completes to builtins and the
 * names in each $PATH directory, any other word (or one with a '/') to
 * paths, directories with a '/' appended.
 *
 * Ownership: the shell's one thread; the editor, history and candidate
 * list are this file's statics. No locks.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ledit/ledit.h"
#include "rb/sys.h"
#include "shell.h"

#define HIST_BYTES 16384
#define MAX_CANDS 512

static struct ledit ed;
static struct ledit_hist hist;
static char hist_buf[HIST_BYTES];
static char draft[4096];
static char outbuf[16384];

void input_init(void)
{
	ledit_hist_init(&hist, hist_buf, sizeof hist_buf);
}

void history_print(void)
{
	size_t n = ledit_hist_count(&hist);
	for (size_t i = 0; i < n; i++)
		printf("%5zu  %s\n", i + 1, ledit_hist_get(&hist, i));
	fflush(stdout);
}

static void write_all(const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

struct cands {
	char *v[MAX_CANDS];
	size_t n;
};

static void cand_add(struct cands *c, const char *a, const char *b, const char *suffix)
{
	if (c->n >= MAX_CANDS)
		return;
	size_t la = strlen(a), lb = strlen(b), ls = strlen(suffix);
	char *s = malloc(la + lb + ls + 1);
	if (!s)
		return;
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, suffix, ls + 1);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0) {
			free(s);
			return;
		}
	c->v[c->n++] = s;
}

static int cand_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir starting with prefix (dirs only when dirs_only). */
static void complete_dir(struct cands *c, const char *dir, const char *shown, const char *prefix,
			 bool mark_dirs)
{
	DIR *d = opendir(dir[0] ? dir : ".");
	if (!d)
		return;
	size_t pl = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, pl) != 0)
			continue;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.' && prefix[0] != '.')
			continue;
		bool isdir = e->d_type == DT_DIR;
		if (mark_dirs && e->d_type == DT_UNKNOWN) {
			char path[768];
			snprintf(path, sizeof path, "%s%s%s", dir,
				 dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", e->d_name);
			struct stat st;
			isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		}
		cand_add(c, shown, e->d_name, mark_dirs && isdir ? "/" : "");
	}
	closedir(d);
}

static void complete(struct cands *c, const char *word, size_t len, bool first)
{
	char w[512];
	if (len >= sizeof w)
		return;
	memcpy(w, word, len);
	w[len] = 0;
	if (first && !strchr(w, '/')) {
		for (int i = 0; builtin_names[i]; i++)
			if (strncmp(builtin_names[i], w, len) == 0)
				cand_add(c, "", builtin_names[i], "");
		const char *path = var_get("PATH");
		char dirs[512];
		snprintf(dirs, sizeof dirs, "%s", path ? path : "/bin");
		char *save = NULL;
		for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
			if (d[0] == '/')
				complete_dir(c, d, "", w, false);
	} else {
		char *slash = strrchr(w, '/');
		char dir[512], shown[512];
		const char *prefix = w;
		if (slash) {
			size_t dl = (size_t)(slash - w) + 1;
			memcpy(shown, w, dl);
			shown[dl] = 0;
			memcpy(dir, w, dl);
			dir[dl] = 0;
			prefix = slash + 1;
		} else {
			shown[0] = dir[0] = 0;
		}
		complete_dir(c, dir, shown, prefix, true);
	}
	qsort(c->v, c->n, sizeof c->v[0], cand_cmp);
}

/* Bytes given back by the previous read that came after the line's end. */
static char pending[256];
static size_t pending_n, pending_at;

static int next_byte(unsigned char *c)
{
	if (pending_at < pending_n) {
		*c = (unsigned char)pending[pending_at++];
		return 1;
	}
	for (;;) {
		ssize_t r = read(0, pending, sizeof pending);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		pending_n = (size_t)r;
		pending_at = 1;
		*c = (unsigned char)pending[0];
		return 1;
	}
}

int input_line(const char *prompt, char *buf, size_t cap)
{
	int old = rb_tcsetmode(0, 0);
	ledit_start(&ed, buf, cap <= sizeof draft ? draft : NULL, cap, prompt, &hist, 80);
	struct ledit_out out = {outbuf, 0, sizeof outbuf, 0};
	ledit_redraw(&ed, &out);
	write_all(out.buf, out.len);
	int result = INPUT_EOF;
	for (;;) {
		unsigned char c;
		if (!next_byte(&c))
			break;
		out.len = 0;
		int r = ledit_feed(&ed, c, &out);
		write_all(out.buf, out.len);
		if (r == LEDIT_COMPLETE) {
			size_t start, len;
			bool first;
			ledit_word(&ed, &start, &len, &first);
			struct cands cs = {.n = 0};
			complete(&cs, buf + start, len, first);
			out.len = 0;
			ledit_complete(&ed, (const char *const *)cs.v, cs.n, &out);
			write_all(out.buf, out.len);
			for (size_t i = 0; i < cs.n; i++)
				free(cs.v[i]);
		} else if (r == LEDIT_DONE) {
			ledit_hist_add(&hist, buf);
			result = INPUT_LINE;
			break;
		} else if (r == LEDIT_EOF) {
			break;
		} else if (r == LEDIT_INTR) {
			result = INPUT_INTR;
			break;
		}
	}
	if (old >= 0)
		rb_tcsetmode(0, old);
	return result;
}
