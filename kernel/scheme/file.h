/*
 * file.h - open files and the schemes that provide them.
 *
 * A path names a scheme and a path inside it: "initfs:/bin/init". The
 * kernel serves two schemes itself for now: "initfs" (the boot archive,
 * read-only, files and directories) and "debug" (the serial console).
 * User-space scheme servers come with IPC. A struct file is shared by
 * dup'ed descriptors (reference counted) and keeps the offset.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

struct file;

struct file_ops {
	long (*read)(struct file *f, uint64_t ubuf, size_t len);
	long (*write)(struct file *f, uint64_t ubuf, size_t len);
	long (*getdents)(struct file *f, uint64_t ubuf, size_t len);
};

struct file {
	const struct file_ops *ops;
	int refs;
	uint64_t off;
	const uint8_t *data; /* initfs: contents */
	uint64_t size;
	unsigned mode;	     /* 0x4000 dir, 0x8000 regular, 0x2000 console */
	char path[128];	     /* path inside the scheme */
};

/* Open "scheme:/path"; the new file (refs 1) or NULL with *err set. */
struct file *file_open(const char *path, int flags, int *err);
/* The console file (fds 0-2 of init). */
struct file *file_console(void);
/* Take / drop a reference. */
void file_get(struct file *f);
void file_put(struct file *f);
/* Make the initfs archive (a boot module) available. */
void file_init(const void *initfs, size_t len);
/* Look up a regular file in initfs: its bytes, or NULL. */
const uint8_t *initfs_file(const char *path, size_t *len);
