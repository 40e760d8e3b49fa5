/*
 * spawn.c - posix_spawn, posix_spawnp, waitpid on SYS_SPAWN/SYS_WAITPID.
 *
 * The kernel's spawn takes an fd map (child fd i = parent fd map[i]), not
 * a list of actions: posix_spawn starts from the identity map over the
 * parent's fds 0..N-1 and applies each dup2/close action to the map, so
 * "dup2(p[1], 1); close(p[0])" becomes map[1] = p[1], map[p[0]] = -1.
 * File action lists belong to their caller; no shared state, no locks.
 */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libc.h"
#include "rb/sys.h"

#define SPAWN_MAX_FD 64 /* the highest child fd an action may name, plus one */

struct libc_spawn_act {
	int fd, newfd; /* dup2(fd, newfd); close: newfd = -1 */
};

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	memset(fa, 0, sizeof *fa);
	return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	free(fa->acts);
	memset(fa, 0, sizeof *fa);
	return 0;
}

static int add_act(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	if (fd < 0 || fd >= SPAWN_MAX_FD || newfd < -1 || newfd >= SPAWN_MAX_FD)
		return EBADF;
	if (fa->n == fa->cap) {
		int cap = fa->cap ? fa->cap * 2 : 4;
		struct libc_spawn_act *a = realloc(fa->acts, (size_t)cap * sizeof *a);
		if (!a)
			return ENOMEM;
		fa->acts = a;
		fa->cap = cap;
	}
	fa->acts[fa->n++] = (struct libc_spawn_act){fd, newfd};
	return 0;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	return newfd < 0 ? EBADF : add_act(fa, fd, newfd);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	return add_act(fa, fd, -1);
}

int posix_spawnattr_init(posix_spawnattr_t *attr)
{
	attr->flags = 0;
	attr->pgroup = 0;
	return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	if (flags & ~(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_TCSETPGROUP))
		return EINVAL;
	attr->flags = flags;
	return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *attr, short *flags)
{
	*flags = attr->flags;
	return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
	attr->pgroup = pgroup;
	return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *attr, pid_t *pgroup)
{
	*pgroup = attr->pgroup;
	return 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
	return 0;
}

/* True if the parent has fd open (a dup2 target in the map must be). */
static int fd_open(int fd)
{
	struct rb_stat st;
	return rb_fstat(fd, &st) == 0;
}

/* Build the child's fd map from the parent's fds and the actions; its length. */
static int build_map(const posix_spawn_file_actions_t *fa, int *map)
{
	int n = 3;
	for (int i = 0; fa && i < fa->n; i++) {
		int hi = fa->acts[i].newfd > fa->acts[i].fd ? fa->acts[i].newfd : fa->acts[i].fd;
		if (hi + 1 > n)
			n = hi + 1;
	}
	for (int i = 0; i < n; i++)
		map[i] = fd_open(i) ? i : -1;
	for (int i = 0; fa && i < fa->n; i++) {
		const struct libc_spawn_act *a = &fa->acts[i];
		if (a->newfd < 0)
			map[a->fd] = -1;
		else
			map[a->newfd] = map[a->fd];
	}
	while (n > 0 && map[n - 1] < 0)
		n--;
	return n;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	int map[SPAWN_MAX_FD];
	int n = build_map(fa, map);
	for (int i = 0; fa && i < fa->n; i++)
		if (fa->acts[i].newfd >= 0 && map[fa->acts[i].newfd] < 0)
			return EBADF; /* dup2 from a closed fd */
	struct rb_spawn_attr ka = {0};
	if (attr && (attr->flags & POSIX_SPAWN_SETPGROUP)) {
		ka.flags |= RB_SPAWN_SETPGROUP;
		ka.pgid = attr->pgroup;
	}
	if (attr && (attr->flags & POSIX_SPAWN_TCSETPGROUP))
		ka.flags |= RB_SPAWN_FOREGROUND;
	int r = rb_spawn_attr(path, argv, envp, map, n, ka.flags ? &ka : NULL);
	if (r < 0)
		return -r;
	if (pid)
		*pid = r;
	return 0;
}

int posix_spawn_search(pid_t *pid, const char *file, const char *search,
		       const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
		       char *const argv[], char *const envp[])
{
	if (strchr(file, '/') || strchr(file, ':'))
		return posix_spawn(pid, file, fa, attr, argv, envp);
	if (!file[0])
		return ENOENT;
	int err = ENOENT;
	for (const char *path = search; *path;) {
		size_t len = strcspn(path, ":");
		if (len > 0 && path[len] == ':' && path[len + 1] == '/' && !memchr(path, '/', len))
			len += 1 + strcspn(path + len + 1, ":"); /* "initfs:/bin": a scheme path */
		char full[512];
		if (len + strlen(file) + 3 <= sizeof full) {
			if (len)
				memcpy(full, path, len);
			else
				full[0] = '.'; /* an empty entry: the working directory */
			size_t d = len ? len : 1;
			full[d] = '/';
			strcpy(full + d + 1, file);
			err = posix_spawn(pid, full, fa, attr, argv, envp);
			if (err != ENOENT)
				return err;
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return err;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	const char *path = getenv("PATH");
	return posix_spawn_search(pid, file, path ? path : "/bin:initfs:/bin", fa, attr, argv,
				  envp);
}

/* The kernel's status (code, or 128 + signal) in the usual encoding. */
static int encode_status(int k)
{
	if (k > 128 && k < 128 + 32)
		return k - 128; /* killed by signal k - 128 (exit codes 129..159 read so too) */
	return (k & 0xff) << 8;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	int k = 0;
	int r = rb_waitpid(pid, &k, options & WNOHANG);
	if (r < 0)
		return (pid_t)libc_ret(r);
	if (r > 0 && status)
		*status = encode_status(k);
	return r;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}
