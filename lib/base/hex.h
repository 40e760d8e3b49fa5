/*
 * hex.h - the value of one hex digit, for every parser in lib/ that reads
 * hex (either case). Pure; no state.
 */
#pragma once

/* c's value 0-15 if it is a hex digit (0-9, a-f, A-F), else -1. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
