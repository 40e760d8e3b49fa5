/*
 * spawn.h - posix_spawn (user/libc/spawn.c) on SYS_SPAWN.
 *
 * The child starts with the parent's fds 0..N-1 (N = the highest fd the
 * file actions name, at least 3) after the file actions are applied in
 * order to that map: dup2 and close only (adddup2 / addclose; addopen
 * opens in the parent, so the fd is shared). Attributes: the flags
 * POSIX_SPAWN_SETPGROUP (the child starts in group pgroup, 0: its own)
 * and POSIX_SPAWN_TCSETPGROUP (as glibc's: the child's group is made the
 * console's foreground group before it runs; a shell's race-free job
 * start); other flags give EINVAL. posix_spawnp looks a name without '/' or ':' up in PATH
 * (default "/bin:initfs:/bin"); posix_spawn_search (not POSIX) does the same in a list the
 * caller gives (a shell's own PATH variable). An empty entry is the working directory; an
 * entry may be a scheme path ("initfs:/bin").
 */
#pragma once
#include <sys/types.h>

typedef struct {
	int n, cap;
	struct libc_spawn_act *acts;
} posix_spawn_file_actions_t;
typedef struct {
	short flags;
	pid_t pgroup;
} posix_spawnattr_t;

#define POSIX_SPAWN_SETPGROUP 0x2
#define POSIX_SPAWN_TCSETPGROUP 0x1000

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int posix_spawn_search(pid_t *pid, const char *file, const char *search,
		       const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
		       char *const argv[], char *const envp[]);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd);
int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getflags(const posix_spawnattr_t *attr, short *flags);
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawnattr_getpgroup(const posix_spawnattr_t *attr, pid_t *pgroup);
