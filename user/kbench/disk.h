/*
 * disk.h - "kbench disk", the disk read figures (disk.c). No state
 * shared with the rest of kbench.
 */
#pragma once

/* "kbench disk [mib=M] [ops=N] [threads=T] NAME=PATH ...": the program's exit code. */
int disk_main(int argc, char **argv);
