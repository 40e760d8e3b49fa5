/*
 * lines.c - the line cursor of lines.h. Pure: the caller owns the
 * cursor and the text; nothing is read past len.
 */
#include "base/lines.h"

bool lines_next(struct lines *it, const char **line, size_t *n)
{
	if (it->pos >= it->len)
		return false;
	size_t end = it->pos;
	while (end < it->len && it->text[end] != '\n')
		end++;
	*line = it->text + it->pos;
	*n = end - it->pos;
	it->no++;
	it->pos = end + 1; /* past the '\n' (or past len: the next call ends) */
	return true;
}
