/*
 * dirent.h - directory streams over getdents (user/libc/dirent.c). A DIR
 * is owned by its caller (one thread at a time, as POSIX allows);
 * d_type is DT_DIR or DT_REG; d_ino is a made-up non-zero number.
 */
#pragma once
#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8

struct dirent {
	ino_t d_ino;
	unsigned char d_type;
	char d_name[256];
};
typedef struct libc_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
void rewinddir(DIR *d);
int dirfd(DIR *d);
/*
 * The entries of directory path except "." and ".." (and those filter
 * refuses, when it is given), each a malloc'd struct dirent, in a malloc'd
 * array stored in *out, sorted by compar when given (alphasort: strcmp of
 * the names). Returns how many; the caller frees each entry and the
 * array. -1 with errno (opendir's, ENOMEM) and nothing allocated.
 */
int scandir(const char *path, struct dirent ***out, int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **a, const struct dirent **b);
