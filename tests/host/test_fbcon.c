/*
 * test_fbcon.c - the framebuffer console drawing into memory buffers.
 *
 * A synthetic 5x7 font is built here (each glyph's bits come from a formula
 * the checks recompute; space is blank, the replacement glyph is solid).
 * The screen is 63x30 pixels, so 12x4 cells with a strip of spare pixels
 * right of and below the grid; each line has pitch padding, and guard bytes
 * follow the buffer. Pixels and the tail start as GUARD bytes, the padding
 * of line y as PAD_BYTE(y), so pixels nobody drew, padding (even padding
 * moved from another line) and the tail can all be checked. Colours are checked against
 * values computed here for RGB and BGR at 32, 24 and 16 bpp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "gfx/fbcon.h"
#include "gfx/font.h"

#define FW 5
#define FH 7
#define NGLYPH 95
#define COLS 12
#define ROWS 4
#define W (COLS * FW + 3)
#define H (ROWS * FH + 2)
#define PAD 5
#define TAIL 64
#define GUARD 0xa5
#define PAD_BYTE(y) (0x40 + (y)) /* distinct per line: catches moves */

static uint8_t glyph_data[NGLYPH * FH];
static uint8_t repl_data[FH];
static struct font tfont = {
    .width = FW,
    .height = FH,
    .bytes_per_row = 1,
    .first = 0x20,
    .count = NGLYPH,
    .glyphs = glyph_data,
    .replacement = repl_data,
};

/* Is pixel (x, y) of the glyph for cp set? Space blank, unknown solid. */
static int glyph_bit(uint32_t cp, uint32_t x, uint32_t y)
{
	if (cp == ' ')
		return 0;
	if (cp < 0x20 || cp > 0x7e)
		return 1;
	return (cp * 7 + x * 3 + y * 5 + x * y) % 3 == 0;
}

static void build_font(void)
{
	for (uint32_t cp = 0x20; cp <= 0x7e; cp++)
		for (uint32_t y = 0; y < FH; y++) {
			uint8_t b = 0;

			for (uint32_t x = 0; x < FW; x++)
				if (glyph_bit(cp, x, y))
					b |= 0x80 >> x;
			glyph_data[(cp - 0x20) * FH + y] = b;
		}
	for (uint32_t y = 0; y < FH; y++)
		repl_data[y] = 0xf8;
}

/* A pixel format and the expected values of a few colours in it. */
struct fmt {
	uint8_t bpp;
	struct fbcon_rgb_layout layout;
	uint32_t grey, black, red, bright_white, bright_green, bright_blue, green, blue;
};

static const struct fmt fmt_rgb32 = {
    32,	      {16, 8, 8, 8, 0, 8}, 0xaaaaaa, 0, 0xaa0000, 0xffffff, 0x55ff55, 0x5555ff, 0x00aa00,
    0x0000aa,
};
static const struct fmt fmt_bgr32 = {
    32,	      {0, 8, 8, 8, 16, 8}, 0xaaaaaa, 0, 0x0000aa, 0xffffff, 0x55ff55, 0xff5555, 0x00aa00,
    0xaa0000,
};
static const struct fmt fmt_rgb24 = {
    24,	      {16, 8, 8, 8, 0, 8}, 0xaaaaaa, 0, 0xaa0000, 0xffffff, 0x55ff55, 0x5555ff, 0x00aa00,
    0x0000aa,
};
static const struct fmt fmt_bgr24 = {
    24,	      {0, 8, 8, 8, 16, 8}, 0xaaaaaa, 0, 0x0000aa, 0xffffff, 0x55ff55, 0xff5555, 0x00aa00,
    0xaa0000,
};
/* RGB565: 0xaa -> 5 bits 0x15, 6 bits 0x2a; 0x55 -> 0x0a / 0x15. */
static const struct fmt fmt_rgb16 = {
    16, {11, 5, 5, 6, 0, 5}, 0xad55, 0, 0xa800, 0xffff, 0x57ea, 0x52bf, 0x0540, 0x0015,
};
static const struct fmt fmt_bgr16 = {
    16, {0, 5, 5, 6, 11, 5}, 0xad55, 0, 0x0015, 0xffff, 0x57ea, 0xfaaa, 0x0540, 0xa800,
};

struct fb {
	const struct fmt *fmt;
	uint32_t bytes_pp, pitch;
	uint8_t *buf; /* pitch * H + TAIL bytes */
	struct fbcon con;
};

static struct fb *fb_new(const struct fmt *fmt)
{
	struct fb *fb = calloc(1, sizeof(*fb));

	assert_non_null(fb);
	build_font();
	fb->fmt = fmt;
	fb->bytes_pp = fmt->bpp / 8;
	fb->pitch = W * fb->bytes_pp + PAD;
	fb->buf = malloc((size_t)fb->pitch * H + TAIL);
	assert_non_null(fb->buf);
	memset(fb->buf, GUARD, (size_t)fb->pitch * H + TAIL);
	for (uint32_t y = 0; y < H; y++)
		memset(fb->buf + (size_t)y * fb->pitch + W * fb->bytes_pp, PAD_BYTE(y), PAD);
	assert_int_equal(
	    fbcon_init(&fb->con, fb->buf, W, H, fb->pitch, fmt->bpp, &fmt->layout, &tfont), 0);
	return fb;
}

static uint32_t px(const struct fb *fb, uint32_t x, uint32_t y)
{
	const uint8_t *p = fb->buf + (size_t)y * fb->pitch + x * fb->bytes_pp;
	uint32_t v = 0;

	for (uint32_t i = 0; i < fb->bytes_pp; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* The value a pixel holds if it was never written. */
static uint32_t untouched(const struct fb *fb)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < fb->bytes_pp; i++)
		v |= (uint32_t)GUARD << (8 * i);
	return v;
}

/* Padding after each line and the tail after the buffer are untouched. */
static void check_guards(const struct fb *fb)
{
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t i = W * fb->bytes_pp; i < fb->pitch; i++)
			assert_int_equal(fb->buf[(size_t)y * fb->pitch + i], PAD_BYTE(y));
	for (uint32_t i = 0; i < TAIL; i++)
		assert_int_equal(fb->buf[(size_t)fb->pitch * H + i], GUARD);
}

static void fb_free(struct fb *fb)
{
	check_guards(fb);
	free(fb->buf);
	free(fb);
}

/* Cell (col, row) shows cp in fg on bg. */
static void check_cell(const struct fb *fb, uint32_t col, uint32_t row, uint32_t cp, uint32_t fg,
		       uint32_t bg)
{
	for (uint32_t y = 0; y < FH; y++)
		for (uint32_t x = 0; x < FW; x++) {
			uint32_t want = glyph_bit(cp, x, y) ? fg : bg;
			uint32_t got = px(fb, col * FW + x, row * FH + y);

			if (got != want)
				fail_msg("cell %u,%u '%c' pixel %u,%u: got %#x want %#x", col, row,
					 (int)cp, x, y, got, want);
		}
}

static void check_cell_untouched(const struct fb *fb, uint32_t col, uint32_t row)
{
	for (uint32_t y = 0; y < FH; y++)
		for (uint32_t x = 0; x < FW; x++)
			assert_int_equal(px(fb, col * FW + x, row * FH + y), untouched(fb));
}

static void put(struct fb *fb, const char *s)
{
	fbcon_write(&fb->con, s, strlen(s));
}

/* --- glyph placement and colour in every pixel format --- */

static void glyphs_in_format(const struct fmt *f)
{
	struct fb *fb = fb_new(f);

	put(fb, "AB\x1b[31mC\x1b[0m D");
	check_cell(fb, 0, 0, 'A', f->grey, f->black);
	check_cell(fb, 1, 0, 'B', f->grey, f->black);
	check_cell(fb, 2, 0, 'C', f->red, f->black);
	check_cell(fb, 3, 0, ' ', f->grey, f->black);
	check_cell(fb, 4, 0, 'D', f->grey, f->black);
	check_cell_untouched(fb, 5, 0);
	check_cell_untouched(fb, 0, 1);
	/* A glyph in row 2, column 7 lands at pixel (35, 14). */
	fb->con.cx = 7;
	fb->con.cy = 2;
	put(fb, "\x1b[1;94mZ");
	check_cell(fb, 7, 2, 'Z', f->bright_blue, f->black);
	assert_int_equal(px(fb, 34, 14), untouched(fb));
	fb_free(fb);
}

static void test_rgb32(void **state)
{
	glyphs_in_format(&fmt_rgb32);
}
static void test_bgr32(void **state)
{
	glyphs_in_format(&fmt_bgr32);
}
static void test_rgb24(void **state)
{
	glyphs_in_format(&fmt_rgb24);
}
static void test_bgr24(void **state)
{
	glyphs_in_format(&fmt_bgr24);
}
static void test_rgb16(void **state)
{
	glyphs_in_format(&fmt_rgb16);
}
static void test_bgr16(void **state)
{
	glyphs_in_format(&fmt_bgr16);
}

static void test_pixel_helper(void **state)
{
	struct fb *fb = fb_new(&fmt_bgr16);

	assert_int_equal(fbcon_pixel(&fb->con, 0xff, 0, 0), 0x001f);
	assert_int_equal(fbcon_pixel(&fb->con, 0, 0xff, 0), 0x07e0);
	assert_int_equal(fbcon_pixel(&fb->con, 0, 0, 0xff), 0xf800);
	fb_free(fb);
}

/* --- cursor movement --- */

static void test_newline_and_cr(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);

	put(fb, "ab\ncd\r\nxyz\rQ");
	check_cell(fb, 0, 0, 'a', f->grey, f->black);
	check_cell(fb, 1, 0, 'b', f->grey, f->black);
	check_cell(fb, 0, 1, 'c', f->grey, f->black);
	check_cell(fb, 1, 1, 'd', f->grey, f->black);
	check_cell(fb, 0, 2, 'Q', f->grey, f->black);
	check_cell(fb, 1, 2, 'y', f->grey, f->black);
	check_cell(fb, 2, 2, 'z', f->grey, f->black);
	check_cell_untouched(fb, 2, 0);
	fb_free(fb);
}

static void test_wrap_at_right_edge(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);
	char line[COLS + 1];

	for (int i = 0; i < COLS; i++)
		line[i] = (char)('a' + i);
	line[COLS] = 0;
	put(fb, line);
	/* The line is full but nothing wrapped yet. */
	check_cell(fb, COLS - 1, 0, 'a' + COLS - 1, f->grey, f->black);
	check_cell_untouched(fb, 0, 1);
	put(fb, "W");
	check_cell(fb, 0, 1, 'W', f->grey, f->black);
	/* Exactly one full line then '\n' gives no empty line. */
	put(fb, "\r");
	put(fb, line);
	put(fb, "\nV");
	check_cell(fb, 0, 2, 'V', f->grey, f->black);
	/* The spare pixel columns right of the grid are never drawn. */
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = COLS * FW; x < W; x++)
			assert_int_equal(px(fb, x, y), untouched(fb));
	fb_free(fb);
}

static void test_tab(void **state)
{
	const struct fmt *f = &fmt_rgb24;
	struct fb *fb = fb_new(f);

	put(fb, "a\tb\tc");
	check_cell(fb, 0, 0, 'a', f->grey, f->black);
	check_cell_untouched(fb, 1, 0); /* a tab moves, it does not paint */
	check_cell(fb, 8, 0, 'b', f->grey, f->black);
	/* From column 9 the next stop (16) is past the edge: wrap. */
	check_cell(fb, 0, 1, 'c', f->grey, f->black);
	put(fb, "\n\t\t\tX");
	check_cell(fb, 0, 3, 'X', f->grey, f->black);
	fb_free(fb);
}

static void test_backspace(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);
	char line[COLS + 1];

	put(fb, "ab\bX");
	check_cell(fb, 0, 0, 'a', f->grey, f->black);
	check_cell(fb, 1, 0, 'X', f->grey, f->black);
	put(fb, "\r\b\bY"); /* at column 0 it stays there */
	check_cell(fb, 0, 0, 'Y', f->grey, f->black);
	put(fb, "\n");
	memset(line, 'm', COLS);
	line[COLS] = 0;
	put(fb, line);
	put(fb, "\bZ"); /* from the pending-wrap state: last column */
	check_cell(fb, COLS - 1, 1, 'Z', f->grey, f->black);
	check_cell_untouched(fb, 0, 2);
	fb_free(fb);
}

static void test_scroll(void **state)
{
	const struct fmt *f = &fmt_bgr24;
	struct fb *fb = fb_new(f);

	fbcon_clear(&fb->con);
	put(fb, "r0\nr1\n\x1b[32mr2\x1b[0m\nr3");
	check_cell(fb, 0, 3, 'r', f->grey, f->black);
	put(fb, "\nn");
	/* Every row moved up one, colours included; the last row is new. */
	check_cell(fb, 1, 0, '1', f->grey, f->black);
	check_cell(fb, 0, 1, 'r', f->green, f->black);
	check_cell(fb, 1, 1, '2', f->green, f->black);
	check_cell(fb, 1, 2, '3', f->grey, f->black);
	check_cell(fb, 0, 3, 'n', f->grey, f->black);
	for (uint32_t c = 1; c < COLS; c++)
		check_cell(fb, c, 3, ' ', f->grey, f->black);
	/* Scrolling leaves the spare lines below the grid alone. */
	for (uint32_t y = ROWS * FH; y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			assert_int_equal(px(fb, x, y), f->black);
	fb_free(fb);
}

static void test_scroll_without_clear_keeps_spare_lines(void **state)
{
	const struct fmt *f = &fmt_rgb16;
	struct fb *fb = fb_new(f);

	put(fb, "1\n2\n3\n4\n5\n6");
	check_cell(fb, 0, 0, '3', f->grey, f->black);
	check_cell(fb, 0, 3, '6', f->grey, f->black);
	check_cell(fb, 1, 3, ' ', f->grey, f->black);
	for (uint32_t y = ROWS * FH; y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			assert_int_equal(px(fb, x, y), untouched(fb));
	fb_free(fb);
}

static void test_clear(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);

	put(fb, "\x1b[44mhello\nthere");
	fbcon_clear(&fb->con);
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			assert_int_equal(px(fb, x, y), f->blue);
	put(fb, "\x1b[49mk");
	check_cell(fb, 0, 0, 'k', f->grey, f->black);
	fb_free(fb);
}

/* --- escapes --- */

static void test_sgr(void **state)
{
	const struct fmt *f = &fmt_bgr32;
	struct fb *fb = fb_new(f);

	put(fb, "\x1b[1ma");	/* bold grey = bright white */
	put(fb, "\x1b[1;32mb"); /* bold green = bright green */
	put(fb, "\x1b[22mc");	/* normal intensity again */
	put(fb, "\x1b[0md");
	put(fb, "\x1b[31m\x1b[me");	 /* ESC[m resets */
	put(fb, "\x1b[92mf\x1b[39mg");	 /* bright fg, default fg */
	put(fb, "\x1b[34;41mh\x1b[0mi"); /* fg and bg in one sequence */
	put(fb, "\x1b[3");		 /* sequence split across writes */
	put(fb, "1");
	put(fb, "mj\x1b[;mk"); /* empty parameters are 0 */
	check_cell(fb, 0, 0, 'a', f->bright_white, f->black);
	check_cell(fb, 1, 0, 'b', f->bright_green, f->black);
	check_cell(fb, 2, 0, 'c', f->green, f->black);
	check_cell(fb, 3, 0, 'd', f->grey, f->black);
	check_cell(fb, 4, 0, 'e', f->grey, f->black);
	check_cell(fb, 5, 0, 'f', f->bright_green, f->black);
	check_cell(fb, 6, 0, 'g', f->grey, f->black);
	check_cell(fb, 7, 0, 'h', f->blue, f->red);
	check_cell(fb, 8, 0, 'i', f->grey, f->black);
	check_cell(fb, 9, 0, 'j', f->red, f->black);
	check_cell(fb, 10, 0, 'k', f->grey, f->black);
	check_cell_untouched(fb, 11, 0);
	fb_free(fb);
}

static void test_unknown_csi_swallowed(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);

	put(fb, "a\x1b[2Jb\x1b[?25lc\x1b[10;20Hd\x1b[38;5;196me");
	put(fb, "\x1b[?1;31mf");				/* private marker: not an SGR */
	put(fb, "\x1b[1 qg");					/* intermediate byte */
	put(fb, "\x1b[99999999999999999999mh");			/* huge parameter */
	put(fb, "\x1b[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;31mi"); /* too many */
	put(fb, "\x1b"
		"7j\x1b"
		"ck"); /* two-byte escapes */
	check_cell(fb, 0, 0, 'a', f->grey, f->black);
	check_cell(fb, 1, 0, 'b', f->grey, f->black);
	check_cell(fb, 2, 0, 'c', f->grey, f->black);
	check_cell(fb, 3, 0, 'd', f->grey, f->black);
	check_cell(fb, 4, 0, 'e', f->grey, f->black);
	check_cell(fb, 5, 0, 'f', f->grey, f->black);
	check_cell(fb, 6, 0, 'g', f->grey, f->black);
	check_cell(fb, 7, 0, 'h', f->grey, f->black);
	check_cell(fb, 8, 0, 'i', f->grey, f->black);
	check_cell(fb, 9, 0, 'j', f->grey, f->black);
	check_cell(fb, 10, 0, 'k', f->grey, f->black);
	check_cell_untouched(fb, 11, 0);
	/* A control byte ends a broken sequence and is then obeyed. */
	put(fb, "\x1b[31\nl");
	check_cell(fb, 0, 1, 'l', f->grey, f->black);
	fb_free(fb);
}

static void test_replacement_glyph(void **state)
{
	const struct fmt *f = &fmt_rgb32;
	struct fb *fb = fb_new(f);
	const char s[] = {'a', (char)0x80, (char)0xff, 0x01, 0x7f, 0, 'b'};

	fbcon_write(&fb->con, s, sizeof(s));
	check_cell(fb, 0, 0, 'a', f->grey, f->black);
	for (uint32_t c = 1; c <= 5; c++)
		check_cell(fb, c, 0, 0xfffd, f->grey, f->black);
	check_cell(fb, 6, 0, 'b', f->grey, f->black);
	fb_free(fb);
}

/* --- init --- */

static void test_init_rejects_bad_parameters(void **state)
{
	static uint8_t buf[W * 4 * H];
	const struct fbcon_rgb_layout *rgb = &fmt_rgb32.layout;
	struct fbcon_rgb_layout bad = *rgb;
	struct font thin = tfont;
	struct fbcon con;

	build_font();
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, rgb, &tfont), 0);
	assert_int_equal(fbcon_init(&con, buf, FW, FH, FW * 4, 32, rgb, &tfont), 0);
	assert_int_equal(con.cols, 1);
	assert_int_equal(con.rows, 1);
	for (int bpp = 0; bpp < 256; bpp++)
		if (bpp != 16 && bpp != 24 && bpp != 32)
			assert_int_equal(
			    fbcon_init(&con, buf, W, H, W * 4, (uint8_t)bpp, rgb, &tfont),
			    -E_INVAL);
	/* Width does not fit the pitch. */
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4 - 1, 32, rgb, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 3 - 1, 24, rgb, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, 0x80000000u, H, 0, 32, rgb, &tfont), -E_INVAL);
	/* Smaller than one cell. */
	assert_int_equal(fbcon_init(&con, buf, FW - 1, H, W * 4, 32, rgb, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, W, FH - 1, W * 4, 32, rgb, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, 0, 0, W * 4, 32, rgb, &tfont), -E_INVAL);
	/* Missing pointers. */
	assert_int_equal(fbcon_init(&con, NULL, W, H, W * 4, 32, rgb, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, NULL, &tfont), -E_INVAL);
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, rgb, NULL), -E_INVAL);
	/* Colour fields outside the pixel, or empty. */
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 2, 16, rgb, &tfont), -E_INVAL);
	bad.blue_size = 0;
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, &bad, &tfont), -E_INVAL);
	bad = *rgb;
	bad.red_pos = 25;
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, &bad, &tfont), -E_INVAL);
	/* A font whose rows are too short for its width. */
	thin.width = 9;
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, rgb, &thin), -E_INVAL);
	thin = tfont;
	thin.height = 0;
	assert_int_equal(fbcon_init(&con, buf, W, H, W * 4, 32, rgb, &thin), -E_INVAL);
}

/* --- font lookup --- */

static void test_font_glyph(void **state)
{
	build_font();
	assert_ptr_equal(font_glyph(&tfont, ' '), glyph_data);
	assert_ptr_equal(font_glyph(&tfont, '~'), glyph_data + 94 * FH);
	assert_ptr_equal(font_glyph(&tfont, 0x1f), repl_data);
	assert_ptr_equal(font_glyph(&tfont, 0x7f), repl_data);
	assert_ptr_equal(font_glyph(&tfont, 0xffffffffu), repl_data);
}

static void test_tail_start(void **state)
{
	assert_int_equal(fbcon_tail_start("", 0, 3), 0);
	assert_int_equal(fbcon_tail_start("a\nb\nc\n", 6, 3), 0);
	assert_int_equal(fbcon_tail_start("a\nb\nc\n", 6, 2), 2);
	assert_int_equal(fbcon_tail_start("a\nb\nc\nd", 7, 2), 2);
	assert_int_equal(fbcon_tail_start("a\nb\nc\n", 6, 0), 6);
	assert_int_equal(fbcon_tail_start("\n\n\n", 3, 1), 2);
	assert_int_equal(fbcon_tail_start("no breaks at all", 16, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rgb32),
	    cmocka_unit_test(test_bgr32),
	    cmocka_unit_test(test_rgb24),
	    cmocka_unit_test(test_bgr24),
	    cmocka_unit_test(test_rgb16),
	    cmocka_unit_test(test_bgr16),
	    cmocka_unit_test(test_pixel_helper),
	    cmocka_unit_test(test_newline_and_cr),
	    cmocka_unit_test(test_wrap_at_right_edge),
	    cmocka_unit_test(test_tab),
	    cmocka_unit_test(test_backspace),
	    cmocka_unit_test(test_scroll),
	    cmocka_unit_test(test_scroll_without_clear_keeps_spare_lines),
	    cmocka_unit_test(test_clear),
	    cmocka_unit_test(test_sgr),
	    cmocka_unit_test(test_unknown_csi_swallowed),
	    cmocka_unit_test(test_replacement_glyph),
	    cmocka_unit_test(test_init_rejects_bad_parameters),
	    cmocka_unit_test(test_font_glyph),
	    cmocka_unit_test(test_tail_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
