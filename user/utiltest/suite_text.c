/*
 * suite_text.c - utiltest cases for grep (and lib/regex as the guest
 * builds it), wc and head (utiltest.h): output, exit statuses, errors
 * and --help. Files are written under /tmp/text/ by the cases that need
 * them; no other state between cases.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include "utiltest.h"

static struct ut_result r;

#define FRUIT "apple pie\nBanana split\ncherry\n\napple tart\nbanana bread\n"

static int setup(char *why, size_t n)
{
	mkdir("/tmp/text", 0755);
	UT_CHECK(ut_write_file("/tmp/text/fruit", FRUIT) == 0, "write fruit");
	UT_CHECK(ut_write_file("/tmp/text/nums", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n") == 0,
		 "write nums");
	UT_CHECK(ut_write_file("/tmp/text/two", "one two\nthree") == 0, "write two");
	return 0;
}

static int t_grep_plain(char *why, size_t n)
{
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "apple"), 0, "apple pie\napple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "kiwi"), 1, "");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "banana", "-"), 0, "banana bread\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "cherry", "/tmp/text/fruit"), 0, "cherry\n");
	UT_RUN_EXPECT(r, "no newline at end", UT_ARGV("grep", "end"), 0, "no newline at end\n");
	UT_RUN_EXPECT(r, "a\r\nb\r\n", UT_ARGV("grep", "-c", "a"), 0, "1\n");
	return 0;
}

static int t_grep_options(char *why, size_t n)
{
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-i", "BANANA"), 0, "Banana split\nbanana bread\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-v", "a"), 0, "cherry\n\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-c", "an"), 0, "2\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-vc", "an"), 0, "4\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-n", "apple"), 0, "1:apple pie\n5:apple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-x", "cherry"), 0, "cherry\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-x", "cherr"), 1, "");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-o", "an*a"), 0, "ana\nana\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-q", "tart"), 0, "");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-q", "pear"), 1, "");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-e", "pie", "-e", "cherry"), 0,
		      "apple pie\ncherry\n");
	UT_RUN_EXPECT(r, "a.c\nabc\n", UT_ARGV("grep", "-F", "a.c"), 0, "a.c\n");
	UT_RUN_EXPECT(r, "a.c\nabc\n", UT_ARGV("grep", "a.c"), 0, "a.c\nabc\n");
	UT_RUN_EXPECT(r, "A[1]\n", UT_ARGV("grep", "-Fi", "a[1]"), 0, "A[1]\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "t", "/tmp/text/fruit", "/tmp/text/two"), 0,
		      "/tmp/text/fruit:Banana split\n/tmp/text/fruit:apple tart\n"
		      "/tmp/text/two:one two\n/tmp/text/two:three\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-c", "e", "/tmp/text/fruit", "/tmp/text/two"), 0,
		      "/tmp/text/fruit:4\n/tmp/text/two:2\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-l", "cherry", "/tmp/text/fruit", "/tmp/text/two"),
		      0, "/tmp/text/fruit\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-h", "thr", "/tmp/text/fruit", "/tmp/text/two"), 0,
		      "three\n");
	return 0;
}

static int t_grep_regex(char *why, size_t n)
{
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "^b"), 0, "banana bread\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "t$"), 0, "Banana split\napple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-c", "^$"), 0, "1\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "\\(an\\)\\{2\\}"), 0,
		      "Banana split\nbanana bread\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "^[[:upper:]]"), 0, "Banana split\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "p\\{2\\}le [^p]"), 0, "apple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "ch.r*y"), 0, "cherry\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "pie\\|tart"), 0, "apple pie\napple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-E", "^(apple|cherry)( |$)"), 0,
		      "apple pie\ncherry\napple tart\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-E", "r+y|sp?lit"), 0, "Banana split\ncherry\n");
	UT_RUN_EXPECT(r, "a+b\naab\n", UT_ARGV("grep", "a+b"), 0, "a+b\n");
	UT_RUN_EXPECT(r, "pie\npies\nmy pie.\n_pie\n", UT_ARGV("grep", "-w", "pie"), 0,
		      "pie\nmy pie.\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-o", "\\<b\\w*"), 0, "banana\nbread\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-c", "t\\>"), 0, "2\n");
	/* a hostile pattern on a long line stays quick (no backtracking) */
	char *line = malloc(20002);
	UT_CHECK(line, "malloc");
	memset(line, 'a', 20000);
	line[20000] = '\n';
	line[20001] = 0;
	UT_CHECK(ut_write_file("/tmp/text/long", line) == 0, "write long");
	free(line);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-c", "\\(a*\\)*b", "/tmp/text/long"), 1, "0\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-c", "a\\{20000\\}", "/tmp/text/long"), 2, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-c", "^a*$", "/tmp/text/long"), 0, "1\n");
	return 0;
}

static int t_grep_errors(char *why, size_t n)
{
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "[abc"), 2, "");
	UT_EXPECT_ERR_HAS(r, "unmatched [");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "\\(a\\)\\1"), 2, "");
	UT_EXPECT_ERR_HAS(r, "back-references are not supported");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("grep", "-E", "(a"), 2, "");
	UT_EXPECT_ERR_HAS(r, "unmatched (");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "x", "/tmp/text/missing"), 2, "");
	UT_EXPECT_ERR_HAS(r, "/tmp/text/missing");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-s", "x", "/tmp/text/missing"), 2, "");
	UT_CHECK(r.err_len == 0, "-s still printed \"%.60s\"", r.err);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "cherry", "/tmp/text/missing", "/tmp/text/fruit"), 2,
		      "/tmp/text/fruit:cherry\n");
	UT_RUN_EXPECT(r, NULL,
		      UT_ARGV("grep", "-q", "cherry", "/tmp/text/missing", "/tmp/text/fruit"), 0,
		      "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "x", "/tmp/text"), 2, "");
	UT_EXPECT_ERR_HAS(r, "Is a directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-Z", "x"), 2, "");
	UT_EXPECT_ERR_HAS(r, "usage: grep");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep"), 2, "");
	UT_EXPECT_ERR_HAS(r, "no pattern");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("grep", "-E", "-F", "x"), 2, "");
	ut_run(&r, NULL, UT_ARGV("grep", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: grep");
	return 0;
}

static int t_wc(char *why, size_t n)
{
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("wc"), 0, "      6       9      55\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("wc", "-l"), 0, "6\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("wc", "-w"), 0, "9\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("wc", "-c"), 0, "55\n");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("wc", "-cl"), 0, "      6      55\n");
	UT_RUN_EXPECT(r, "", UT_ARGV("wc"), 0, "      0       0       0\n");
	UT_RUN_EXPECT(r, " a\tb  c \n\n", UT_ARGV("wc", "-w"), 0, "3\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("wc", "/tmp/text/fruit"), 0, " 6  9 55 /tmp/text/fruit\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("wc", "-l", "/tmp/text/two"), 0, "1 /tmp/text/two\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("wc", "/tmp/text/fruit", "/tmp/text/two"), 0,
		      " 6  9 55 /tmp/text/fruit\n 1  3 13 /tmp/text/two\n 7 12 68 total\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("wc", "-l", "/tmp/text/missing", "/tmp/text/two"), 1,
		      " 1 /tmp/text/two\n 1 total\n");
	UT_EXPECT_ERR_HAS(r, "wc: /tmp/text/missing");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("wc", "-x"), 2, "");
	UT_EXPECT_ERR_HAS(r, "usage: wc");
	ut_run(&r, NULL, UT_ARGV("wc", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: wc");
	return 0;
}

static int t_head(char *why, size_t n)
{
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "/tmp/text/nums"), 0,
		      "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n", "3", "/tmp/text/nums"), 0, "1\n2\n3\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-2", "/tmp/text/nums"), 0, "1\n2\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n", "0", "/tmp/text/nums"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-c", "5", "/tmp/text/fruit"), 0, "apple");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n", "99", "/tmp/text/two"), 0, "one two\nthree");
	UT_RUN_EXPECT(r, FRUIT, UT_ARGV("head", "-n", "2"), 0, "apple pie\nBanana split\n");
	UT_RUN_EXPECT(r, "x\ny\n", UT_ARGV("head", "-n", "1", "-", "/tmp/text/two"), 0,
		      "==> standard input <==\nx\n\n==> /tmp/text/two <==\none two\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-q", "-n1", "/tmp/text/nums", "/tmp/text/two"), 0,
		      "1\none two\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-v", "-n1", "/tmp/text/nums"), 0,
		      "==> /tmp/text/nums <==\n1\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n1", "/tmp/text/missing", "/tmp/text/nums"), 1,
		      "==> /tmp/text/nums <==\n1\n");
	UT_EXPECT_ERR_HAS(r, "/tmp/text/missing");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n", "x1"), 2, "");
	UT_EXPECT_ERR_HAS(r, "invalid number");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("head", "-n"), 2, "");
	UT_EXPECT_ERR_HAS(r, "usage: head");
	ut_run(&r, NULL, UT_ARGV("head", "--help"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT_HAS(r, "usage: head");
	return 0;
}

const struct ut_case suite_text_cases[] = {
    {"files under /tmp/text", setup},
    {"grep: stdin, files, no newline", t_grep_plain},
    {"grep: -i -v -c -n -x -o -q -e -F -l -h, names", t_grep_options},
    {"grep: BRE groups, anchors, intervals, classes; ERE; -w; hostile pattern", t_grep_regex},
    {"grep: bad patterns, files and options; --help", t_grep_errors},
    {"wc: counts, widths, total, errors", t_wc},
    {"head: -n -c -N, headers, errors", t_head},
    {NULL, NULL},
};
