/*
 * suite_files.c - utiltest cases for the file utilities: ls, cat, mkdir,
 * rm, cp, mv, dd, hexdump, sha256sum (utiltest.h). Every case works under
 * its own directory /tmp/ft-CASE, made by the case (as root), and checks
 * output, exit status and the files left behind; the permission case runs
 * the utilities as uid 1000 against root's files; the EXDEV case starts a
 * second ramfsd (scheme test-ftmv:) for the time of the case and kills it. No
 * state is shared between cases but the static result buffer r.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rb/service.h"
#include "utiltest.h"

static struct ut_result r;

/* The contents of path into buf (NUL-terminated): bytes, or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		ssize_t k = read(fd, buf + len, cap - 1 - len);
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

#define EXPECT_FILE(path, want)                                                                    \
	do {                                                                                       \
		static char got_[4096];                                                            \
		if (slurp(path, got_, sizeof got_) < 0)                                            \
			UT_FAIL("%s: cannot read", path);                                          \
		if (strcmp(got_, want))                                                            \
			UT_FAIL("%s holds \"%.40s\", want \"%.40s\"", path, got_, want);           \
	} while (0)

#define WRITE(path, text) UT_CHECK(ut_write_file(path, text) == 0, "cannot write %s", path)
#define MKDIR(path) UT_CHECK(mkdir(path, 0755) == 0 || errno == EEXIST, "cannot mkdir %s", path)

static int t_help(char *why, size_t n)
{
	static const char *const progs[] = {"ls", "cat", "mkdir",   "rm",	"cp",
					    "mv", "dd",	 "hexdump", "sha256sum"};
	char want[32];
	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		ut_run(&r, NULL, UT_ARGV(progs[i], "--help"));
		UT_EXPECT_STATUS(r, 0);
		snprintf(want, sizeof want, "usage: %s", progs[i]);
		UT_EXPECT_OUT_HAS(r, want);
		ut_run(&r, NULL, UT_ARGV(progs[i], "-Z", "x", "y"));
		UT_CHECK(r.status == 2, "%s -Z: status %d, want 2", progs[i], r.status);
		UT_CHECK(strstr(r.err, "usage: "), "%s -Z: no usage line on stderr", progs[i]);
	}
	ut_run(&r, NULL, UT_ARGV("dd", "bs=0"));
	UT_EXPECT_STATUS(r, 2);
	ut_run(&r, NULL, UT_ARGV("dd", "nope=1"));
	UT_EXPECT_STATUS(r, 2);
	ut_run(&r, NULL, UT_ARGV("mkdir"));
	UT_EXPECT_STATUS(r, 2);
	ut_run(&r, NULL, UT_ARGV("cp", "/tmp"));
	UT_EXPECT_STATUS(r, 2);
	return 0;
}

static int t_cat(char *why, size_t n)
{
	MKDIR("/tmp/ft-cat");
	WRITE("/tmp/ft-cat/a", "one\n");
	WRITE("/tmp/ft-cat/b", "two\nthree");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cat", "/tmp/ft-cat/a", "/tmp/ft-cat/b"), 0,
		      "one\ntwo\nthree");
	UT_RUN_EXPECT(r, "in\n", UT_ARGV("cat"), 0, "in\n");
	UT_RUN_EXPECT(r, "mid ", UT_ARGV("cat", "/tmp/ft-cat/a", "-", "/tmp/ft-cat/a"), 0,
		      "one\nmid one\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cat", "/nope"), 1, "");
	UT_EXPECT_ERR_HAS(r, "cat: /nope: No such file or directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cat", "/tmp/ft-cat/a", "/nope", "/tmp/ft-cat/a"), 1,
		      "one\none\n");
	ut_run(&r, NULL, UT_ARGV("cat", "/tmp/ft-cat"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "cat: /tmp/ft-cat: Is a directory");
	return 0;
}

static int t_mkdir(char *why, size_t n)
{
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "/tmp/ft-mkdir"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "-p", "/tmp/ft-mkdir/p/q/r", "/tmp/ft-mkdir/s"), 0,
		      "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "/tmp/ft-mkdir"), 0, "p\ns\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "/tmp/ft-mkdir/p/q"), 0, "r\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "-p", "/tmp/ft-mkdir/p/q"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "/tmp/ft-mkdir/p"), 1, "");
	UT_EXPECT_ERR_HAS(r, "mkdir: cannot create directory '/tmp/ft-mkdir/p': File exists");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "/tmp/ft-mkdir/x/y"), 1, "");
	UT_EXPECT_ERR_HAS(r, "No such file or directory");
	WRITE("/tmp/ft-mkdir/f", "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mkdir", "-p", "/tmp/ft-mkdir/f/g"), 1, "");
	return 0;
}

static int t_ls(char *why, size_t n)
{
	MKDIR("/tmp/ft-ls");
	WRITE("/tmp/ft-ls/b", "bb");
	WRITE("/tmp/ft-ls/a", "hello");
	WRITE("/tmp/ft-ls/.hidden", "");
	MKDIR("/tmp/ft-ls/d");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "/tmp/ft-ls"), 0, "a\nb\nd\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "-1", "-a", "/tmp/ft-ls"), 0,
		      ".\n..\n.hidden\na\nb\nd\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "-d", "/tmp/ft-ls"), 0, "/tmp/ft-ls\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "/tmp/ft-ls/d", "/tmp/ft-ls/b", "/tmp/ft-ls/a"), 0,
		      "/tmp/ft-ls/a\n/tmp/ft-ls/b\n\n/tmp/ft-ls/d:\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "-l", "/tmp/ft-ls/a"), 0,
		      "-rw-r--r-- 1 root 0 5 /tmp/ft-ls/a\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "-l", "/tmp/ft-ls"), 0,
		      "-rw-r--r-- 1 root 0 5 a\n"
		      "-rw-r--r-- 1 root 0 2 b\n"
		      "drwxr-xr-x 1 root 0 0 d\n");
	ut_run(&r, NULL, UT_ARGV("ls", "-ld", "/tmp"));
	UT_EXPECT_STATUS(r, 0);
	UT_CHECK(!strncmp(r.out, "drwxrwxrwt 1 root 0 ", 20), "ls -ld /tmp: \"%.40s\"", r.out);
	/* no operand: the working directory (the child inherits ours) */
	UT_CHECK(chdir("/tmp/ft-ls") == 0, "chdir: %s", strerror(errno));
	ut_run(&r, NULL, UT_ARGV("ls"));
	int st = r.status;
	static char out[64];
	snprintf(out, sizeof out, "%s", r.out);
	ut_run(&r, NULL, UT_ARGV("cat", "b", "./a"));
	UT_CHECK(chdir("/") == 0, "chdir /: %s", strerror(errno));
	UT_CHECK(st == 0 && !strcmp(out, "a\nb\nd\n"), "ls in /tmp/ft-ls: %d \"%.40s\"", st, out);
	UT_EXPECT_OUT(r, "bbhello");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "/nope", "/tmp/ft-ls/b"), 1, "/tmp/ft-ls/b\n");
	UT_EXPECT_ERR_HAS(r, "ls: cannot access '/nope': No such file or directory");
	return 0;
}

static int t_rm(char *why, size_t n)
{
	MKDIR("/tmp/ft-rm");
	MKDIR("/tmp/ft-rm/t");
	MKDIR("/tmp/ft-rm/t/y");
	MKDIR("/tmp/ft-rm/t/y/w");
	for (int i = 0; i < 20; i++) {
		char p[64];
		snprintf(p, sizeof p, "/tmp/ft-rm/t/y/f%d", i);
		WRITE(p, "x");
	}
	WRITE("/tmp/ft-rm/t/x", "x");
	WRITE("/tmp/ft-rm/t/y/w/v", "v");
	WRITE("/tmp/ft-rm/f", "f");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "/tmp/ft-rm/f"), 0, "");
	UT_CHECK(!exists("/tmp/ft-rm/f"), "rm left the file");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "/tmp/ft-rm/t"), 1, "");
	UT_EXPECT_ERR_HAS(r, "rm: cannot remove '/tmp/ft-rm/t': Is a directory");
	UT_CHECK(exists("/tmp/ft-rm/t/x"), "rm without -r removed something");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "-r", "/tmp/ft-rm/t"), 0, "");
	UT_CHECK(!exists("/tmp/ft-rm/t"), "rm -r left the tree");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "/tmp/ft-rm/nope"), 1, "");
	UT_EXPECT_ERR_HAS(r, "No such file or directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "-f", "/tmp/ft-rm/nope"), 0, "");
	UT_CHECK(r.err_len == 0, "rm -f complained: %.60s", r.err);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "-f"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("rm", "-rf", "/tmp/ft-rm/."), 1, "");
	UT_CHECK(exists("/tmp/ft-rm"), "rm -rf dir/. removed dir");
	return 0;
}

static int t_cp(char *why, size_t n)
{
	MKDIR("/tmp/ft-cp");
	MKDIR("/tmp/ft-cp/d");
	MKDIR("/tmp/ft-cp/src");
	MKDIR("/tmp/ft-cp/src/sub");
	WRITE("/tmp/ft-cp/a", "alpha\n");
	WRITE("/tmp/ft-cp/b", "beta\n");
	WRITE("/tmp/ft-cp/src/sub/deep", "deep\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/a", "/tmp/ft-cp/a2"), 0, "");
	EXPECT_FILE("/tmp/ft-cp/a2", "alpha\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/b", "/tmp/ft-cp/a2"), 0, "");
	EXPECT_FILE("/tmp/ft-cp/a2", "beta\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/a", "/tmp/ft-cp/b", "/tmp/ft-cp/d"), 0,
		      "");
	EXPECT_FILE("/tmp/ft-cp/d/a", "alpha\n");
	EXPECT_FILE("/tmp/ft-cp/d/b", "beta\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/src", "/tmp/ft-cp/dst"), 1, "");
	UT_EXPECT_ERR_HAS(r, "omitting directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "-r", "/tmp/ft-cp/src", "/tmp/ft-cp/dst"), 0, "");
	EXPECT_FILE("/tmp/ft-cp/dst/sub/deep", "deep\n");
	EXPECT_FILE("/tmp/ft-cp/src/sub/deep", "deep\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "-r", "/tmp/ft-cp/src", "/tmp/ft-cp/src/sub"), 1, "");
	UT_EXPECT_ERR_HAS(r, "into itself");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/a", "/tmp/ft-cp/b", "/tmp/ft-cp/a2"), 1,
		      "");
	UT_EXPECT_ERR_HAS(r, "is not a directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("cp", "/tmp/ft-cp/nope", "/tmp/ft-cp/x"), 1, "");
	UT_EXPECT_ERR_HAS(r, "No such file or directory");
	return 0;
}

static int t_mv(char *why, size_t n)
{
	MKDIR("/tmp/ft-mv");
	MKDIR("/tmp/ft-mv/d");
	MKDIR("/tmp/ft-mv/tree");
	WRITE("/tmp/ft-mv/a", "alpha\n");
	WRITE("/tmp/ft-mv/b", "beta\n");
	WRITE("/tmp/ft-mv/tree/leaf", "leaf\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mv", "/tmp/ft-mv/a", "/tmp/ft-mv/a2"), 0, "");
	UT_CHECK(!exists("/tmp/ft-mv/a"), "mv left the source");
	EXPECT_FILE("/tmp/ft-mv/a2", "alpha\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mv", "/tmp/ft-mv/b", "/tmp/ft-mv/a2"), 0, "");
	EXPECT_FILE("/tmp/ft-mv/a2", "beta\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mv", "/tmp/ft-mv/a2", "/tmp/ft-mv/tree", "/tmp/ft-mv/d"), 0,
		      "");
	EXPECT_FILE("/tmp/ft-mv/d/a2", "beta\n");
	EXPECT_FILE("/tmp/ft-mv/d/tree/leaf", "leaf\n");
	UT_CHECK(!exists("/tmp/ft-mv/tree"), "mv left the directory");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("mv", "/tmp/ft-mv/nope", "/tmp/ft-mv/x"), 1, "");
	UT_EXPECT_ERR_HAS(r, "mv: cannot stat '/tmp/ft-mv/nope': No such file or directory");
	return 0;
}

/* mv across schemes: rename says EXDEV, mv copies then removes. */
static int t_mv_exdev(char *why, size_t n)
{
	MKDIR("/tmp/ft-xdev");
	MKDIR("/tmp/ft-xdev/tree");
	MKDIR("/tmp/ft-xdev/tree/sub");
	WRITE("/tmp/ft-xdev/f", "file\n");
	WRITE("/tmp/ft-xdev/tree/sub/leaf", "leaf\n");
	char *argv[] = {"ramfsd", "-n", "test-ftmv", NULL};
	pid_t pid;
	int err = posix_spawn(&pid, "initfs:/bin/ramfsd", NULL, NULL, argv, NULL);
	UT_CHECK(err == 0, "spawn ramfsd: %s", strerror(err));
	int fd = rb_open_when_served("test-ftmv:/tmp", O_RDONLY | O_DIRECTORY, 10000000000ull);
	int ok = -1;
	if (fd < 0) {
		snprintf(why, n, "test-ftmv: not served: %d", fd);
		goto out;
	}
	close(fd);
	ut_run(&r, NULL, UT_ARGV("mv", "/tmp/ft-xdev/f", "/tmp/ft-xdev/tree", "test-ftmv:/tmp"));
	if (r.status != 0) {
		snprintf(why, n, "mv across schemes: status %d: %.60s", r.status, r.err);
		goto out;
	}
	static char got[64];
	if (slurp("test-ftmv:/tmp/f", got, sizeof got) < 0 || strcmp(got, "file\n") ||
	    slurp("test-ftmv:/tmp/tree/sub/leaf", got, sizeof got) < 0 || strcmp(got, "leaf\n")) {
		snprintf(why, n, "the moved files are not in test-ftmv:");
		goto out;
	}
	if (exists("/tmp/ft-xdev/f") || exists("/tmp/ft-xdev/tree")) {
		snprintf(why, n, "mv left the sources behind");
		goto out;
	}
	ok = 0;
out:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return ok;
}

static int t_dd(char *why, size_t n)
{
	static char text[1001];
	for (int i = 0; i < 1000; i++)
		text[i] = (char)('a' + i % 26);
	MKDIR("/tmp/ft-dd");
	WRITE("/tmp/ft-dd/in", text);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("dd", "if=/tmp/ft-dd/in", "of=/tmp/ft-dd/out", "bs=300"), 0,
		      "");
	UT_CHECK(!strcmp(r.err, "3+1 records in\n3+1 records out\n1000 bytes copied\n"),
		 "dd stderr \"%.80s\"", r.err);
	EXPECT_FILE("/tmp/ft-dd/out", text);

	UT_RUN_EXPECT(
	    r, NULL,
	    UT_ARGV("dd", "if=/tmp/ft-dd/in", "of=/tmp/ft-dd/mid", "bs=300", "skip=1", "count=2"),
	    0, "");
	UT_CHECK(!strcmp(r.err, "2+0 records in\n2+0 records out\n600 bytes copied\n"),
		 "dd skip/count stderr \"%.80s\"", r.err);
	static char mid[601];
	memcpy(mid, text + 300, 600);
	EXPECT_FILE("/tmp/ft-dd/mid", mid);

	/* stdin to stdout, K suffix, status=none */
	UT_RUN_EXPECT(r, "abcdef", UT_ARGV("dd", "bs=1K", "status=none"), 0, "abcdef");
	UT_CHECK(r.err_len == 0, "status=none printed \"%.60s\"", r.err);
	UT_RUN_EXPECT(r, "abcdef", UT_ARGV("dd", "bs=2", "count=2"), 0, "abcd");
	UT_EXPECT_ERR_HAS(r, "2+0 records in\n2+0 records out\n4 bytes copied\n");

	/* seek: the output starts with 2 blocks of zeros (shown by hexdump) */
	UT_RUN_EXPECT(r, "XY", UT_ARGV("dd", "of=/tmp/ft-dd/sk", "bs=3", "seek=2"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("hexdump", "-C", "/tmp/ft-dd/sk"), 0,
		      "00000000  00 00 00 00 00 00 58 59                           |......XY|\n"
		      "00000008\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("dd", "if=/nope"), 1, "");
	UT_EXPECT_ERR_HAS(r, "dd: failed to open '/nope': No such file or directory");
	return 0;
}

static int t_hexdump(char *why, size_t n)
{
	MKDIR("/tmp/ft-hd");
	WRITE("/tmp/ft-hd/hello", "hello\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("hexdump", "-C", "/tmp/ft-hd/hello"), 0,
		      "00000000  68 65 6c 6c 6f 0a                                 |hello.|\n"
		      "00000006\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("hexdump", "/tmp/ft-hd/hello"), 0,
		      "0000000 6568 6c6c 0a6f                         \n"
		      "0000006\n");
	UT_RUN_EXPECT(r, "0123456789abcdef0123456789abcdef0123456789abcdefXYZ",
		      UT_ARGV("hexdump", "-C"), 0,
		      "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
		      "|0123456789abcdef|\n"
		      "*\n"
		      "00000030  58 59 5a                                          |XYZ|\n"
		      "00000033\n");
	UT_RUN_EXPECT(r, "", UT_ARGV("hexdump", "-C"), 0, "");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("hexdump", "-C", "/nope"), 1, "");
	UT_EXPECT_ERR_HAS(r, "hexdump: /nope: No such file or directory");
	return 0;
}

#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int t_sha256sum(char *why, size_t n)
{
	MKDIR("/tmp/ft-sum");
	WRITE("/tmp/ft-sum/abc", "abc");
	WRITE("/tmp/ft-sum/empty", "");
	UT_RUN_EXPECT(r, "abc", UT_ARGV("sha256sum"), 0, ABC "  -\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sha256sum", "/tmp/ft-sum/abc", "/tmp/ft-sum/empty"), 0,
		      ABC "  /tmp/ft-sum/abc\n" EMPTY "  /tmp/ft-sum/empty\n");
	WRITE("/tmp/ft-sum/list", ABC "  /tmp/ft-sum/abc\n" EMPTY "  /tmp/ft-sum/empty\n");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sha256sum", "-c", "/tmp/ft-sum/list"), 0,
		      "/tmp/ft-sum/abc: OK\n/tmp/ft-sum/empty: OK\n");
	WRITE("/tmp/ft-sum/abc", "abd");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sha256sum", "-c", "/tmp/ft-sum/list"), 1,
		      "/tmp/ft-sum/abc: FAILED\n/tmp/ft-sum/empty: OK\n");
	UT_EXPECT_ERR_HAS(r, "WARNING: 1 computed checksum did NOT match");
	UT_RUN_EXPECT(r, "not a checksum line\n", UT_ARGV("sha256sum", "-c"), 1, "");
	UT_EXPECT_ERR_HAS(r, "no properly formatted checksum lines found");
	UT_RUN_EXPECT(r, NULL, UT_ARGV("sha256sum", "/nope"), 1, "");
	UT_EXPECT_ERR_HAS(r, "sha256sum: /nope: No such file or directory");
	return 0;
}

/* As uid 1000 against root's directory and file: every write is refused. */
static int t_permission(char *why, size_t n)
{
	MKDIR("/tmp/ft-perm");
	WRITE("/tmp/ft-perm/root", "root's\n");
	ut_run_as(&r, 1000, NULL, UT_ARGV("cat", "/tmp/ft-perm/root"));
	UT_EXPECT_STATUS(r, 0);
	UT_EXPECT_OUT(r, "root's\n");
	ut_run_as(&r, 1000, NULL, UT_ARGV("rm", "/tmp/ft-perm/root"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "rm: cannot remove '/tmp/ft-perm/root': Permission denied");
	ut_run_as(&r, 1000, NULL, UT_ARGV("mkdir", "/tmp/ft-perm/g"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "Permission denied");
	ut_run_as(&r, 1000, NULL, UT_ARGV("cp", "/tmp/ft-perm/root", "/tmp/ft-perm/copy"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "Permission denied");
	ut_run_as(&r, 1000, "x", UT_ARGV("dd", "of=/tmp/ft-perm/root"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "Permission denied");
	ut_run_as(&r, 1000, NULL, UT_ARGV("mv", "/tmp/ft-perm/root", "/tmp/ft-perm/moved"));
	UT_EXPECT_STATUS(r, 1);
	UT_EXPECT_ERR_HAS(r, "Permission denied");
	EXPECT_FILE("/tmp/ft-perm/root", "root's\n");
	/* and in sticky /tmp the guest makes and removes its own files */
	ut_run_as(&r, 1000, "mine", UT_ARGV("dd", "of=/tmp/ft-guest", "status=none"));
	UT_EXPECT_STATUS(r, 0);
	UT_RUN_EXPECT(r, NULL, UT_ARGV("ls", "-l", "/tmp/ft-guest"), 0,
		      "-rw-r--r-- 1 guest 1000 4 /tmp/ft-guest\n");
	ut_run_as(&r, 1000, NULL, UT_ARGV("rm", "/tmp/ft-guest"));
	UT_EXPECT_STATUS(r, 0);
	UT_CHECK(!exists("/tmp/ft-guest"), "guest's rm left its file");
	return 0;
}

const struct ut_case suite_files_cases[] = {
    {"--help and bad options", t_help},
    {"cat", t_cat},
    {"mkdir -p", t_mkdir},
    {"ls", t_ls},
    {"rm -r -f", t_rm},
    {"cp", t_cp},
    {"mv", t_mv},
    {"mv across schemes (EXDEV)", t_mv_exdev},
    {"dd", t_dd},
    {"hexdump", t_hexdump},
    {"sha256sum", t_sha256sum},
    {"permission denied as uid 1000", t_permission},
    {NULL, NULL},
};
