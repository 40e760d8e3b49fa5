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
