/*
 * font.c - glyph lookup in a struct font (see font.h for the layout).
 *
 * font_glyph() maps a code point to its bitmap: an index into the
 * contiguous glyph run, or the replacement glyph when the code point lies
 * outside it. Pure and lock-free: fonts are immutable.
 */
#include "gfx/font.h"

/* Glyph bitmap for codepoint, or the replacement glyph if the font has none. */
const uint8_t *font_glyph(const struct font *f, uint32_t codepoint)
{
	if (codepoint >= f->first && codepoint - f->first < f->count)
		return f->glyphs + (size_t)(codepoint - f->first) * font_glyph_size(f);
	return f->replacement;
}
