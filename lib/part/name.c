/*
 * name.c - disk and partition node names (part.h): "virtio0" is a disk,
 * "virtio0p1" its partition 1, as Linux names them.
 *
 * A disk name is 1..PART_NAME_MAX bytes of [a-z0-9], starting with a
 * letter and ending with a digit, and not itself ending in digit, 'p',
 * digits: so a partition's "pN" is never part of a disk's own name.
 * Pure; no state.
 */
#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "part/part.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool name_ok(const char *s, size_t n)
{
	if (n < 1 || n > PART_NAME_MAX || !(s[0] >= 'a' && s[0] <= 'z') || !is_digit(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'z'))
			return false;
	size_t i = n;
	while (i > 0 && is_digit(s[i - 1]))
		i--;
	return !(i >= 2 && s[i - 1] == 'p' &&
		 is_digit(s[i - 2])); /* it would read as a partition */
}

bool part_disk_name_ok(const char *name)
{
	return name_ok(name, strnlen(name, PART_NAME_MAX + 1));
}

int part_node_split(const char *node, char *disk, size_t len, unsigned *num)
{
	size_t n = strnlen(node, PART_NAME_MAX + 8);
	size_t d = n; /* the disk part's length */
	unsigned k = 0;
	size_t i = n;
	while (i > 0 && is_digit(node[i - 1]))
		i--;
	/* "...pN": N without a leading zero, at most 4 digits, after a digit. */
	if (i >= 2 && i < n && n - i <= 4 && node[i - 1] == 'p' && node[i] != '0' &&
	    is_digit(node[i - 2])) {
		for (size_t j = i; j < n; j++)
			k = k * 10 + (unsigned)(node[j] - '0');
		d = i - 1;
	}
	if (!name_ok(node, d) || d + 1 > len)
		return -E_INVAL;
	memcpy(disk, node, d);
	disk[d] = '\0';
	if (num)
		*num = k;
	return 0;
}
