/*
 * fbcon.c - the framebuffer text console (interface in fbcon.h).
 *
 * The screen is a grid of cols x rows cells of the font's size, anchored
 * at the top left; pixels right of and below the grid keep the background
 * given by fbcon_clear(). A glyph is drawn by writing every pixel of its
 * cell in the foreground or background colour, so drawing over a cell
 * replaces it. The cursor may rest at cx == cols after the last column is
 * filled: the wrap to the next line happens only when the next glyph
 * comes, so a line of exactly cols characters followed by '\n' does not
 * leave an empty line. Scrolling moves pixel lines up with memmove (one
 * line at a time, so pitch padding is never touched) and clears the last
 * text row.
 *
 * Escape sequences are parsed one byte at a time, so a sequence split
 * across fbcon_write() calls works. No locking: the caller serialises.
 */
#include <string.h>
#include "base/err.h"
#include "gfx/fbcon.h"

#define ESC 0x1b
#define TAB_WIDTH 8
#define PARAM_MAX 9999u
#define FG_DEFAULT 7 /* light grey */
#define BG_DEFAULT 0 /* black */

/* The 16 ANSI colours as 0xRRGGBB (VGA text-mode shades). */
static const uint32_t palette[16] = {
    0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
    0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

static uint32_t channel(uint8_t v, uint8_t pos, uint8_t size)
{
	return (uint32_t)(v >> (8 - size)) << pos;
}

/* Pixel value for an 8-bit-per-channel colour in con's layout. */
uint32_t fbcon_pixel(const struct fbcon *con, uint8_t r, uint8_t g, uint8_t b)
{
	const struct fbcon_rgb_layout *l = &con->layout;

	return channel(r, l->red_pos, l->red_size) | channel(g, l->green_pos, l->green_size) |
	       channel(b, l->blue_pos, l->blue_size);
}

static uint32_t palette_pixel(const struct fbcon *con, uint8_t idx)
{
	uint32_t c = palette[idx & 15];

	return fbcon_pixel(con, (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c);
}

static void update_colours(struct fbcon *con)
{
	uint8_t fg = con->fg_index;

	if (con->bold)
		fg |= 8;
	con->fg = palette_pixel(con, fg);
	con->bg = palette_pixel(con, con->bg_index);
}

static int field_ok(uint8_t pos, uint8_t size, uint32_t bits)
{
	return size >= 1 && size <= 8 && (uint32_t)pos + size <= bits;
}

static int geometry_ok(uint32_t width, uint32_t height, uint32_t pitch, uint32_t bytes_pp,
		       const struct font *font)
{
	if (!font || !font->glyphs || !font->replacement)
		return 0;
	if (font->width == 0 || font->height == 0 || font->bytes_per_row < (font->width + 7) / 8)
		return 0;
	if (width < font->width || height < font->height)
		return 0;
	return (uint64_t)width * bytes_pp <= pitch;
}

/* Set up con on pixels; -E_INVAL for an unsupported bpp or bad geometry. */
int fbcon_init(struct fbcon *con, void *pixels, uint32_t width, uint32_t height, uint32_t pitch,
	       uint8_t bpp, const struct fbcon_rgb_layout *layout, const struct font *font)
{
	uint32_t bytes_pp;

	if (!con || !pixels || !layout)
		return -E_INVAL;
	if (bpp != 16 && bpp != 24 && bpp != 32)
		return -E_INVAL;
	bytes_pp = bpp / 8;
	if (!geometry_ok(width, height, pitch, bytes_pp, font))
		return -E_INVAL;
	if (!field_ok(layout->red_pos, layout->red_size, bpp) ||
	    !field_ok(layout->green_pos, layout->green_size, bpp) ||
	    !field_ok(layout->blue_pos, layout->blue_size, bpp))
		return -E_INVAL;

	memset(con, 0, sizeof(*con));
	con->pixels = pixels;
	con->width = width;
	con->height = height;
	con->pitch = pitch;
	con->bytes_pp = bytes_pp;
	con->layout = *layout;
	con->font = font;
	con->cols = width / font->width;
	con->rows = height / font->height;
	con->fg_index = FG_DEFAULT;
	con->bg_index = BG_DEFAULT;
	con->esc = FBCON_ESC_NONE;
	update_colours(con);
	return 0;
}

static uint8_t *pixel_at(const struct fbcon *con, uint32_t x, uint32_t y)
{
	return con->pixels + (size_t)y * con->pitch + (size_t)x * con->bytes_pp;
}

/* Store one pixel value, little-endian, in bytes_pp bytes. */
static void put_pixel(uint8_t *p, uint32_t v, uint32_t bytes_pp)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	memcpy(p, b, bytes_pp);
}

/* Fill pixels [x, x + w) of lines [y, y + h) with the background. */
static void fill_rect(struct fbcon *con, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	for (uint32_t j = 0; j < h; j++) {
		uint8_t *p = pixel_at(con, x, y + j);

		for (uint32_t i = 0; i < w; i++, p += con->bytes_pp)
			put_pixel(p, con->bg, con->bytes_pp);
	}
}

/* Fill the screen with the background colour and home the cursor. */
void fbcon_clear(struct fbcon *con)
{
	fill_rect(con, 0, 0, con->width, con->height);
	con->cx = 0;
	con->cy = 0;
}

static void draw_glyph(struct fbcon *con, uint32_t cx, uint32_t cy, uint32_t codepoint)
{
	const struct font *f = con->font;
	const uint8_t *g = font_glyph(f, codepoint);
	uint32_t x0 = cx * f->width, y0 = cy * f->height;

	for (uint32_t row = 0; row < f->height; row++, g += f->bytes_per_row) {
		uint8_t *p = pixel_at(con, x0, y0 + row);

		for (uint32_t col = 0; col < f->width; col++, p += con->bytes_pp) {
			int on = g[col / 8] & (0x80 >> (col % 8));

			put_pixel(p, on ? con->fg : con->bg, con->bytes_pp);
		}
	}
}

/* Move text rows 1..rows-1 up by one and clear the last text row. */
static void scroll(struct fbcon *con)
{
	uint32_t fh = con->font->height;
	uint32_t lines = con->rows * fh;
	size_t len = (size_t)con->width * con->bytes_pp;

	for (uint32_t y = fh; y < lines; y++)
		memmove(pixel_at(con, 0, y - fh), pixel_at(con, 0, y), len);
	fill_rect(con, 0, lines - fh, con->width, fh);
}

static void newline(struct fbcon *con)
{
	con->cx = 0;
	if (con->cy + 1 < con->rows)
		con->cy++;
	else
		scroll(con);
}

static void put_glyph(struct fbcon *con, uint32_t codepoint)
{
	if (con->cx >= con->cols)
		newline(con);
	draw_glyph(con, con->cx, con->cy, codepoint);
	con->cx++;
}

/* Apply one SGR parameter; unknown ones are ignored. */
static void sgr_one(struct fbcon *con, uint32_t p)
{
	if (p == 0) {
		con->fg_index = FG_DEFAULT;
		con->bg_index = BG_DEFAULT;
		con->bold = 0;
	} else if (p == 1) {
		con->bold = 1;
	} else if (p == 22) {
		con->bold = 0;
	} else if (p >= 30 && p <= 37) {
		con->fg_index = (uint8_t)(p - 30);
	} else if (p == 39) {
		con->fg_index = FG_DEFAULT;
	} else if (p >= 90 && p <= 97) {
		con->fg_index = (uint8_t)(p - 90 + 8);
	} else if (p >= 40 && p <= 47) {
		con->bg_index = (uint8_t)(p - 40);
	} else if (p == 49) {
		con->bg_index = BG_DEFAULT;
	}
}

static void sgr(struct fbcon *con)
{
	/* ESC[m and ESC[;m both mean reset: absent parameters are 0. */
	uint32_t n = con->nparams ? con->nparams : 1;

	for (uint32_t i = 0; i < n; i++)
		sgr_one(con, con->params[i]);
	update_colours(con);
}

static void csi_start(struct fbcon *con)
{
	con->esc = FBCON_ESC_CSI;
	con->esc_bad = 0;
	con->nparams = 0;
	memset(con->params, 0, sizeof(con->params));
}

/*
 * One byte inside ESC [ ... (ECMA-48 5.4): parameter bytes 0x30-0x3F,
 * intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E. Returns 1 if
 * the byte was consumed, 0 if it ended the sequence abnormally and must
 * be handled as ordinary input.
 */
static int csi_byte(struct fbcon *con, uint8_t c)
{
	uint32_t i = con->nparams ? con->nparams - 1 : 0;

	if (c >= '0' && c <= '9') {
		if (con->nparams == 0)
			con->nparams = 1;
		if (con->params[i] <= PARAM_MAX)
			con->params[i] = con->params[i] * 10 + (c - '0');
		return 1;
	}
	if (c == ';') {
		if (con->nparams == 0)
			con->nparams = 1;
		if (con->nparams < FBCON_MAX_PARAMS)
			con->nparams++;
		else
			con->esc_bad = 1; /* too many: ignore the sequence */
		return 1;
	}
	if (c >= 0x20 && c <= 0x3f) {
		/* ':', '<'..'?' or an intermediate: not a plain SGR. */
		con->esc_bad = 1;
		return 1;
	}
	if (c >= 0x40 && c <= 0x7e) {
		con->esc = FBCON_ESC_NONE;
		if (c == 'm' && !con->esc_bad)
			sgr(con);
		return 1;
	}
	/* A control byte or a non-ASCII byte aborts the sequence. */
	con->esc = FBCON_ESC_NONE;
	return 0;
}

static void control_or_glyph(struct fbcon *con, uint8_t c)
{
	switch (c) {
	case '\n':
		newline(con);
		break;
	case '\r':
		con->cx = 0;
		break;
	case '\t':
		con->cx = MIN((con->cx / TAB_WIDTH + 1) * TAB_WIDTH, con->cols);
		break;
	case '\b':
		/* From the pending-wrap state this lands on the last column. */
		if (con->cx > 0)
			con->cx--;
		break;
	case ESC:
		con->esc = FBCON_ESC_ESC;
		break;
	default:
		/* Printable ASCII maps to itself; anything else to no glyph. */
		put_glyph(con, c >= 0x20 && c < 0x7f ? c : 0xfffd);
		break;
	}
}

static void write_byte(struct fbcon *con, uint8_t c)
{
	switch (con->esc) {
	case FBCON_ESC_ESC:
		if (c == '[') {
			csi_start(con);
			return;
		}
		/* A two-byte escape (ESC c, ESC 7, ...): drop it. */
		con->esc = FBCON_ESC_NONE;
		if (c >= 0x20 && c <= 0x7e)
			return;
		break;
	case FBCON_ESC_CSI:
		if (csi_byte(con, c))
			return;
		break;
	case FBCON_ESC_NONE:
		break;
	}
	control_or_glyph(con, c);
}

/* Draw the n bytes at s, interpreting control bytes and SGR escapes. */
void fbcon_write(struct fbcon *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		write_byte(con, (uint8_t)s[i]);
}

size_t fbcon_tail_start(const char *s, size_t n, uint32_t rows)
{
	uint32_t seen = 0;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '\n' && ++seen > rows)
			return i;
	return 0;
}
