/* t_unistd.c - fds, paths, stat, dirent, poll, mmap, sleeping, getopt. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "libctest.h"

static int t_fds(char *why, size_t n)
{
	EXPECT_ERRNO(open("initfs:/no/such", O_RDONLY), ENOENT);
	EXPECT_ERRNO(close(-1), EBADF);
	char c;
	EXPECT_ERRNO(read(99, &c, 1), EBADF);
	EXPECT_ERRNO(write(99, &c, 1), EBADF);
	int p[2];
	EXPECT(pipe(p), 0);
	EXPECT(write(p[1], "abc", 3), 3);
	int d = dup(p[0]);
	CHECK(d > p[1], "dup gives a new fd");
	char b[4] = {0};
	EXPECT(read(d, b, 3), 3);
	EXPECT_STR(b, "abc");
	EXPECT(dup2(p[1], 20), 20);
	EXPECT(write(20, "z", 1), 1);
	EXPECT(read(p[0], b, 1), 1);
	EXPECT(b[0], 'z');
	EXPECT(fcntl(p[0], F_DUPFD, 30), 30);
	EXPECT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
	struct pollfd pf = {p[0], POLLIN, 0};
	EXPECT(poll(&pf, 1, 0), 0);
	EXPECT(write(p[1], "q", 1), 1);
	EXPECT(poll(&pf, 1, 1000), 1);
	CHECK(pf.revents & POLLIN, "POLLIN");
	close(p[0]);
	close(p[1]);
	close(d);
	close(20);
	close(30);
	return 0;
}

static int t_paths(char *why, size_t n)
{
	mkdir("/tmp", 0755);
	unlink("/tmp/lct-d/f");
	rmdir("/tmp/lct-d");
	EXPECT(mkdir("/tmp/lct-d", 0755), 0);
	EXPECT_ERRNO(mkdir("/tmp/lct-d", 0755), EEXIST);
	struct stat st;
	EXPECT(stat("/tmp/lct-d", &st), 0);
	CHECK(S_ISDIR(st.st_mode), "a directory: mode %o", st.st_mode);
	int fd = open("/tmp/lct-d/f", O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0, "create: errno %d", errno);
	EXPECT(write(fd, "hello", 5), 5);
	EXPECT(ftruncate(fd, 3), 0);
	close(fd);
	EXPECT_ERRNO(open("/tmp/lct-d/f", O_WRONLY | O_CREAT | O_EXCL), EEXIST);
	EXPECT(stat("/tmp/lct-d/f", &st), 0);
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3, "a 3-byte file");
	EXPECT_ERRNO(rmdir("/tmp/lct-d"), ENOTEMPTY);
	EXPECT(rename("/tmp/lct-d/f", "/tmp/lct-d/g"), 0);
	EXPECT_ERRNO(stat("/tmp/lct-d/f", &st), ENOENT);
	EXPECT(access("/tmp/lct-d/g", R_OK | W_OK), 0);
	EXPECT(unlink("/tmp/lct-d/g"), 0);
	EXPECT_ERRNO(unlink("/tmp/lct-d/g"), ENOENT);
	EXPECT(rmdir("/tmp/lct-d"), 0);
	EXPECT_ERRNO(access("/tmp/lct-d", F_OK), ENOENT);
	EXPECT(mkdir("/tmp/lct-d", 0755), 0);
	EXPECT(remove("/tmp/lct-d"), 0); /* remove: unlink, then rmdir on EISDIR */
	fd = open("/tmp/lct-d", O_WRONLY | O_CREAT);
	close(fd);
	EXPECT(remove("/tmp/lct-d"), 0);
	EXPECT_ERRNO(remove("/tmp/lct-d"), ENOENT);
	EXPECT(stat("initfs:/bin/init", &st), 0);
	CHECK(S_ISREG(st.st_mode) && st.st_size > 0, "initfs:/bin/init is a file");
	EXPECT(access("initfs:/bin/init", R_OK), 0);
	EXPECT_ERRNO(access("initfs:/bin/nope", R_OK), ENOENT);
	return 0;
}

/* No name starting with 'k' (a scandir filter). */
static int not_k(const struct dirent *e)
{
	return e->d_name[0] != 'k';
}

/* scandir: sorted, filtered, no "." or "..", and -1 with errno for a file. */
static int check_scandir(char *why, size_t n)
{
	struct dirent **v;
	int count = scandir("initfs:/bin", &v, not_k, alphasort);
	CHECK(count > 10, "scandir initfs:/bin");
	int sorted = 1, found_init = 0, found_k = 0, dots = 0;
	for (int i = 0; i < count; i++) {
		if (i > 0 && strcmp(v[i - 1]->d_name, v[i]->d_name) >= 0)
			sorted = 0;
		found_init |= !strcmp(v[i]->d_name, "init");
		found_k |= v[i]->d_name[0] == 'k';
		dots |= !strcmp(v[i]->d_name, ".") || !strcmp(v[i]->d_name, "..");
		free(v[i]);
	}
	free(v);
	CHECK(sorted && found_init && !found_k && !dots, "scandir: sorted, filtered, no dots");
	errno = 0;
	CHECK(scandir("initfs:/bin/init", &v, NULL, NULL) == -1 && errno == ENOTDIR,
	      "scandir file: ENOTDIR");
	return 0;
}

/* Does directory path hold name with type? 1, 0, or -1 (opendir failed). */
static int dir_has(const char *path, const char *name, int type)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int found = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, name) == 0 && e->d_type == type && e->d_ino)
			found = 1;
	closedir(d);
	return found;
}

static int t_dirent(char *why, size_t n)
{
	EXPECT(dir_has("initfs:/bin", "libctest", DT_REG), 1);
	EXPECT(dir_has("initfs:/bin", "init", DT_REG), 1);
	EXPECT(dir_has("initfs:/", "bin", DT_DIR), 1);
	EXPECT(dir_has("initfs:/bin", "nonesuch", DT_REG), 0);
	mkdir("/tmp", 0755);
	mkdir("/tmp/lct-dir", 0755);
	int fd = open("/tmp/lct-dir/one", O_WRONLY | O_CREAT);
	close(fd);
	EXPECT(dir_has("/tmp", "lct-dir", DT_DIR), 1);
	EXPECT(dir_has("/tmp/lct-dir", "one", DT_REG), 1);
	unlink("/tmp/lct-dir/one");
	EXPECT(dir_has("/tmp/lct-dir", "one", DT_REG), 0);
	rmdir("/tmp/lct-dir");
	errno = 0;
	CHECK(opendir("initfs:/nope") == NULL && errno == ENOENT, "opendir missing: ENOENT");
	errno = 0;
	CHECK(opendir("initfs:/bin/init") == NULL && errno == ENOTDIR, "opendir file: ENOTDIR");
	return check_scandir(why, n);
}

static int t_ids_mmap(char *why, size_t n)
{
	CHECK(getpid() > 0 && getppid() >= 0, "pids");
	EXPECT(getuid(), 0);
	EXPECT(geteuid(), getuid());
	EXPECT(getgid(), 0);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: errno %d", errno);
	CHECK(p[100] == 0, "zeroed");
	p[8191] = 1;
	EXPECT(mprotect(p, 4096, PROT_READ), 0);
	EXPECT(munmap(p, 8192), 0);
	EXPECT_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1
												: 0,
		     EINVAL);
	EXPECT_ERRNO(munmap((void *)0x1001, 4096), EINVAL);
	EXPECT(sysconf(_SC_PAGESIZE), 4096);
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1, "cpus");
	return 0;
}

static int t_sleep(char *why, size_t n)
{
	struct timespec a, b, req = {0, 20 * 1000000};
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	EXPECT(nanosleep(&req, NULL), 0);
	EXPECT(usleep(10000), 0);
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	CHECK(ns >= 30 * 1000000LL, "slept only %lld ns", ns);
	req.tv_nsec = 1000000000L;
	EXPECT_ERRNO(nanosleep(&req, NULL), EINVAL);
	EXPECT_ERRNO(clock_gettime(99, &a), EINVAL);
	return 0;
}

static int t_getopt(char *why, size_t n)
{
	char *argv[] = {"prog", "-a", "-bval", "-c", "x", "-ae", "--", "-d", "rest", NULL};
	int argc = 9, c, seen = 0;
	optind = 1;
	opterr = 0;
	const char *b = NULL, *cc = NULL;
	while ((c = getopt(argc, argv, "ab:c:e")) != -1) {
		if (c == 'a' || c == 'e')
			seen++;
		else if (c == 'b')
			b = optarg;
		else if (c == 'c')
			cc = optarg;
		else
			FAIL("unexpected option %c", c);
	}
	EXPECT(seen, 3);
	EXPECT_STR(b, "val");
	EXPECT_STR(cc, "x");
	EXPECT(optind, 7);
	EXPECT_STR(argv[optind], "-d");
	char *argv2[] = {"prog", "-z", "-b", NULL};
	optind = 1;
	EXPECT(getopt(3, argv2, "b:"), '?');
	EXPECT(optopt, 'z');
	EXPECT(getopt(3, argv2, ":b:"), ':');
	EXPECT(getopt(3, argv2, "b:"), -1);
	char *argv3[] = {"prog", "file", "-a", NULL};
	optind = 1;
	EXPECT(getopt(3, argv3, "a"), -1);
	EXPECT(optind, 1);
	opterr = 1;
	return 0;
}

const struct lcase unistd_cases[] = {
    {"unistd: EBADF/ENOENT, pipe, dup, dup2, F_DUPFD, ESPIPE, poll", t_fds},
    {"unistd: mkdir EEXIST, open O_EXCL, ftruncate, stat, rename, ENOTEMPTY, unlink, access",
     t_paths},
    {"dirent: initfs:/bin and /tmp, ENOENT, ENOTDIR", t_dirent},
    {"unistd: ids, mmap/mprotect/munmap, EINVAL, sysconf", t_ids_mmap},
    {"time: nanosleep and usleep sleep long enough; EINVAL", t_sleep},
    {"unistd: getopt groups, arguments, --, '?', ':'", t_getopt},
    {NULL, NULL},
};
