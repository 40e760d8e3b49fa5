/*
 * fbcon.h - a text console drawn into a linear framebuffer.
 *
 * The caller hands fbcon_init() the pixel memory (in the kernel: the
 * framebuffer from the Multiboot2 framebuffer tag, already mapped), its
 * geometry, the bit positions of red, green and blue inside a pixel, and a
 * font. fbcon_write() then draws text cell by cell: printable ASCII, '\n'
 * (new line and carriage return), '\r', '\t' (next multiple of 8), '\b'
 * (cursor left), and a replacement glyph for every other byte. At the
 * bottom the screen scrolls up one text row. ANSI SGR sequences ESC[0m,
 * ESC[1m, ESC[22m, ESC[30-37m, ESC[39m, ESC[90-97m, ESC[40-47m and ESC[49m
 * set colours; every other CSI sequence is swallowed without output.
 *
 * Only pixels inside width x height are ever written. There is no locking:
 * the caller serialises calls on one struct fbcon.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "gfx/font.h"

/* Where each colour channel sits in a pixel (Multiboot2 type 1 fields). */
struct fbcon_rgb_layout {
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

#define FBCON_MAX_PARAMS 16

/* Escape parser states (internal). */
enum fbcon_esc {
	FBCON_ESC_NONE,
	FBCON_ESC_ESC, /* seen ESC */
	FBCON_ESC_CSI, /* seen ESC [ */
};

struct fbcon {
	uint8_t *pixels;
	uint32_t width, height, pitch; /* pixels, pixels, bytes per line */
	uint32_t bytes_pp;	       /* 2, 3 or 4 */
	struct fbcon_rgb_layout layout;
	const struct font *font;
	uint32_t cols, rows;	    /* text cells that fit */
	uint32_t cx, cy;	    /* cursor; cx == cols means "wrap first" */
	uint8_t fg_index, bg_index; /* palette index 0..15 */
	uint8_t bold;
	uint32_t fg, bg; /* pixel values for the current colours */
	enum fbcon_esc esc;
	uint8_t esc_bad; /* CSI has private or intermediate bytes */
	uint32_t nparams;
	uint32_t params[FBCON_MAX_PARAMS];
};

/* Set up con on pixels; -E_INVAL for an unsupported bpp or bad geometry. */
MUST_CHECK int fbcon_init(struct fbcon *con, void *pixels, uint32_t width, uint32_t height,
			  uint32_t pitch, uint8_t bpp, const struct fbcon_rgb_layout *layout,
			  const struct font *font);

/* Draw the n bytes at s, interpreting control bytes and SGR escapes. */
void fbcon_write(struct fbcon *con, const char *s, size_t n);

/*
 * Where to start drawing s[0..n) so that no more than `rows` line breaks
 * follow ("jump scroll"): 0 when s has at most rows '\n', else the byte
 * after the (count - rows)-th '\n'. What is skipped would have scrolled off
 * the screen within this write anyway (lines longer than the screen wrap
 * and take more rows, so at least the visible part is kept). Colour
 * changes inside the skipped part are lost with it.
 */
size_t fbcon_tail_start(const char *s, size_t n, uint32_t rows);

/* Fill the screen with the background colour and home the cursor. */
void fbcon_clear(struct fbcon *con);

/* Pixel value for an 8-bit-per-channel colour in con's layout. */
uint32_t fbcon_pixel(const struct fbcon *con, uint8_t r, uint8_t g, uint8_t b);
