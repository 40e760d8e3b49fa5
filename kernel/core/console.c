/*
 * console.c - the framebuffer console: a mirror of the serial console on
 * screen (kernel log lines and programs' raw output, docs/console.md).
 *
 * Used when GRUB hands us a direct-RGB framebuffer (Multiboot2 tag 8,
 * type 1); otherwise serial is the only console. console_init runs once
 * on the boot CPU; after that `fb` is touched only by writes, which arrive
 * under the log lock (log.c) that serialises them.
 */
#include "arch.h"
#include "boot/boot.h"
#include "core/log.h"
#include "gfx/fbcon.h"

extern const struct font font_default;
static struct fbcon fb;

static void fb_write(const char *s, size_t n)
{
	fbcon_write(&fb, s, n);
}

void console_init(void)
{
	const struct mb2_framebuffer *f = &boot_mbi.fb;
	if (!boot_mbi.has_fb || f->type != MB2_FB_RGB) {
		kprintf("console: no RGB framebuffer; serial only\n");
		return;
	}
	struct fbcon_rgb_layout layout = {
	    .red_pos = f->red_pos,
	    .red_size = f->red_size,
	    .green_pos = f->green_pos,
	    .green_size = f->green_size,
	    .blue_pos = f->blue_pos,
	    .blue_size = f->blue_size,
	};
	void *pixels = mmio_map(f->addr, (size_t)f->pitch * f->height);
	if (!pixels || fbcon_init(&fb, pixels, f->width, f->height, f->pitch, f->bpp, &layout,
				  &font_default) < 0) {
		kprintf("console: framebuffer %ux%u %u bpp not usable; serial only\n", f->width,
			f->height, f->bpp);
		return;
	}
	fbcon_clear(&fb);
	klog_add_console(fb_write);
	kprintf("console: framebuffer %ux%u, %u bpp at %#lx\n", f->width, f->height, f->bpp,
		(unsigned long)f->addr);
}
