/*
 * power.c - acpid's power module: the power button, S5 power-off and
 * reset (docs/acpid.md). Interface in acpid.h.
 *
 * The register logic is lib/acpi/pm (host-tested); this file gives it
 * real registers (granted I/O ports with in/out, physical memory through
 * physmap), runs the AML the events ask for, and talks to init and the
 * kernel:
 *  - power_init: ACPI mode on (SMI_CMD) if the firmware left it off;
 *    every fixed event off and its status cleared, then PWRBTN_EN on;
 *    every GPE off and cleared, then on for each GPE with a \_GPE._Lxx or
 *    _Exx method; the SCI opened through irq: (irq:/isa/N for an SCI_INT
 *    under 16, so the MADT's override decides the trigger; else the GSI,
 *    level, active low as ACPI 5.0+ says an SCI is).
 *  - power_sci: fixed events first (PWRBTN: a press), then GPEs (a level
 *    GPE runs _Lxx and then has its status cleared, an edge GPE is cleared
 *    first and then runs _Exx, so a second edge during the method is not
 *    lost), then the interrupt is acknowledged (which unmasks a level
 *    line: its sources are quiet by then).
 *  - a press (PWRBTN, or Notify(PNP0C0C device, 0x80) from a GPE method,
 *    noted by power_notify and looked at once the method has returned,
 *    since the interpreter cannot be re-entered from its Notify hook)
 *    sends SIGTERM to init (an ordered poweroff) once; later presses are
 *    logged and ignored while shutting down.
 *  - power_off: \_S5_ from the namespace, \_PTS(5), GPEs off, then
 *    SLP_TYP|SLP_EN to PM1a and PM1b control; waits 1 s, then fails.
 *  - power_reboot: the plan of acpi_reset_plan (FADT reset register, the
 *    8042, the kernel), 500 ms after each step.
 *
 * State: `pw` below, acpid's one thread only (acpid.h), so no locks.
 * The physical pages mapped for memory-space registers stay mapped for
 * acpid's life.
 */
#include <string.h>
#include "acpi/pm.h"
#include "acpi/sleep.h"
#include "acpid.h"
#include "aml/aml.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "fmt/fmt.h"
#include "rb/port.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/syscall.h"

#define MS (1000ull * 1000)
#define S5_WAIT_MS 1000
#define RESET_WAIT_MS 500
#define PAGE 4096ull
#define MAX_MAPS 4
#define MAX_NOTES 8

static struct {
	bool have_pm; /* pm is valid */
	struct acpi_pm pm;
	uint8_t gpe_level[ACPI_GPE_MAX / 8]; /* GPE has a _Lxx method */
	uint8_t gpe_edge[ACPI_GPE_MAX / 8];  /* GPE has an _Exx method */
	unsigned ngpe;			     /* GPEs enabled */
	struct {
		uint64_t phys;
		volatile uint8_t *virt;
	} maps[MAX_MAPS];
	int nmaps;
	char notes[MAX_NOTES][128]; /* devices a GPE method sent Notify 0x80 */
	int nnotes;
} pw;

/* ---------------------------------------------------------------- registers */

/* The mapping of the page holding phys (mapped on first use), or NULL. */
static volatile uint8_t *phys_ptr(uint64_t phys)
{
	uint64_t page = phys & ~(PAGE - 1);
	for (int i = 0; i < pw.nmaps; i++)
		if (pw.maps[i].phys == page)
			return pw.maps[i].virt + (phys - page);
	if (pw.nmaps == MAX_MAPS)
		return NULL;
	long v = rb_syscall3(SYS_PHYSMAP, (long)page, (long)PAGE, RB_PROT_READ | RB_PROT_WRITE);
	if (RB_IS_ERR(v)) {
		rb_printf("acpid: physmap %#llx: %s\n", (unsigned long long)page, err_name((int)v));
		return NULL;
	}
	pw.maps[pw.nmaps].phys = page;
	pw.maps[pw.nmaps].virt = (volatile uint8_t *)v;
	return pw.maps[pw.nmaps++].virt + (phys - page);
}

static int reg_read(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t *v)
{
	if (space == ACPI_GAS_IO) {
		if (addr + bytes > 0x10000)
			return -E_INVAL;
		uint16_t p = (uint16_t)addr;
		*v = bytes == 1 ? rb_inb(p) : bytes == 2 ? rb_inw(p) : rb_inl(p);
		return 0;
	}
	if (space != ACPI_GAS_MEMORY || (addr & (PAGE - 1)) + bytes > PAGE)
		return -E_NOTSUP;
	volatile uint8_t *p = phys_ptr(addr);
	if (!p)
		return -E_FAULT;
	*v = bytes == 1 ? *p : bytes == 2 ? *(volatile uint16_t *)p : *(volatile uint32_t *)p;
	return 0;
}

static int reg_write(void *ctx, uint8_t space, uint64_t addr, unsigned bytes, uint32_t v)
{
	if (space == ACPI_GAS_IO) {
		if (addr + bytes > 0x10000)
			return -E_INVAL;
		uint16_t p = (uint16_t)addr;
		if (bytes == 1)
			rb_outb(p, (uint8_t)v);
		else if (bytes == 2)
			rb_outw(p, (uint16_t)v);
		else
			rb_outl(p, v);
		return 0;
	}
	if (space != ACPI_GAS_MEMORY || (addr & (PAGE - 1)) + bytes > PAGE)
		return -E_NOTSUP;
	volatile uint8_t *p = phys_ptr(addr);
	if (!p)
		return -E_FAULT;
	if (bytes == 1)
		*p = (uint8_t)v;
	else if (bytes == 2)
		*(volatile uint16_t *)p = (uint16_t)v;
	else
		*(volatile uint32_t *)p = v;
	return 0;
}

static void delay_ms(void *ctx, unsigned ms)
{
	(void)rb_nanosleep(ms * MS);
}

static const struct acpi_pm_io io = {.read = reg_read, .write = reg_write, .delay_ms = delay_ms};

/* ---------------------------------------------------------------- AML */

/* Run method path (with one integer argument when nargs is 1): 0 or an error, logged. */
static int run_method(struct acpid *a, const char *path, int nargs, uint64_t arg)
{
	struct aml_value in = {.type = AML_INTEGER, .integer = arg}, out;
	int err = aml_eval(a->aml, path, &in, nargs, &out);
	if (err < 0) {
		rb_printf("acpid: %s failed: %s (%s)\n", path, err_name(err),
			  aml_last_error(a->aml));
		return err;
	}
	aml_value_free(a->aml, &out);
	return 0;
}

static void bit_set(uint8_t *map, unsigned n)
{
	map[n / 8] |= (uint8_t)(1u << (n % 8));
}

static bool bit_get(const uint8_t *map, unsigned n)
{
	return map[n / 8] >> (n % 8) & 1;
}

/* aml_walk: note every \_GPE._Lxx/_Exx method for a GPE that exists. */
static int gpe_walk(void *ctx, const char *path, enum aml_type type)
{
	unsigned gpe;
	bool level;
	if (strcmp(path, "\\_GPE") == 0)
		return 0;
	if (strncmp(path, "\\_GPE.", 6) != 0)
		return 1; /* elsewhere: do not descend */
	if (type == AML_METHOD && acpi_gpe_method_parse(path, &gpe, &level) &&
	    acpi_gpe_valid(&pw.pm, gpe))
		bit_set(level ? pw.gpe_level : pw.gpe_edge, gpe);
	return 1;
}

/* ---------------------------------------------------------------- init */

/* Open the SCI through irq:; the fd or -1, logged. */
static int open_sci(struct acpid *a)
{
	char path[64];
	unsigned irq = a->fadt.sci_int;
	if (irq < 16)
		fmt_snprintf(path, sizeof path, "irq:/isa/%u", irq);
	else if (a->sci_gsi >= 0)
		fmt_snprintf(path, sizeof path, "irq:/gsi/%d/level-low", a->sci_gsi);
	else
		fmt_snprintf(path, sizeof path, "irq:/gsi/%u/level-low", irq);
	int fd = rb_open(path, RB_O_RDWR | RB_O_NONBLOCK);
	if (fd < 0) {
		rb_printf("acpid: open %s: %s: no power button events\n", path, err_name(fd));
		return -1;
	}
	static const char label[] = "label acpi-sci";
	(void)rb_write(fd, label, sizeof label - 1);
	rb_printf("acpid: SCI %u through %s\n", irq, path);
	return fd;
}

int power_init(struct acpid *a)
{
	int err;
	bool changed;
	if (!a->have_fadt) {
		rb_printf("acpid: no FADT: no power button, no ACPI S5\n");
		return -1;
	}
	if ((err = acpi_pm_from_fadt(&a->fadt, &pw.pm)) < 0) {
		rb_printf("acpid: %s: no power button events\n",
			  err == -E_NOTSUP ? "hardware-reduced ACPI or fixed registers in an "
					     "unsupported address space"
					   : "the FADT's PM1 blocks are unusable");
		return -1;
	}
	pw.have_pm = true;
	if ((err = acpi_pm_acpi_mode(&pw.pm, &io, &changed)) < 0) {
		rb_printf("acpid: cannot enter ACPI mode (SMI_CMD %#x): %s\n", pw.pm.smi_cmd,
			  err_name(err));
		return -1;
	}
	if (changed)
		rb_printf("acpid: ACPI mode on (ACPI_ENABLE %#x to SMI_CMD %#x)\n",
			  pw.pm.acpi_enable, pw.pm.smi_cmd);

	/* Fixed events: only the power button, from a clean status. */
	if ((err = acpi_pm1_enable(&pw.pm, &io, ACPI_PM1_FIXED_EVENTS, false)) < 0 ||
	    (err = acpi_pm1_clear(&pw.pm, &io, ACPI_PM1_FIXED_EVENTS | ACPI_PM1_WAK)) < 0 ||
	    (err = acpi_pm1_enable(&pw.pm, &io, ACPI_PM1_PWRBTN, true)) < 0) {
		rb_printf("acpid: PM1 registers: %s\n", err_name(err));
		return -1;
	}

	/* GPEs: those with a handler method, nothing else. */
	if ((err = acpi_gpe_reset_all(&pw.pm, &io)) < 0)
		rb_printf("acpid: GPE registers: %s: GPEs not used\n", err_name(err));
	else if (a->aml) {
		(void)aml_walk(a->aml, gpe_walk, NULL);
		for (unsigned g = 0; g < ACPI_GPE_MAX; g++) {
			if (!bit_get(pw.gpe_level, g) && !bit_get(pw.gpe_edge, g))
				continue;
			if (acpi_gpe_enable(&pw.pm, &io, g, true) == 0)
				pw.ngpe++;
		}
	}
	rb_printf("acpid: power button on; %u of %u GPEs have methods and are enabled\n", pw.ngpe,
		  acpi_gpe_count(&pw.pm));
	return open_sci(a);
}

/* ---------------------------------------------------------------- events */

/*
 * A press of the power button: ask init, once, for an ordered poweroff.
 * SIGTERM to init asks the same as "poweroff" on init:/control
 * (docs/init.md) but never waits for init: a write to init:/control would
 * block acpid while init may itself be blocked writing acpi:/power (a
 * shutdown begun elsewhere), and the two would wait for each other.
 * init ignores the signal once it is stopping.
 */
static void press(struct acpid *a, const char *how)
{
	if (a->shutting_down) {
		rb_printf("acpid: power button pressed again (%s); already shutting down\n", how);
		return;
	}
	rb_printf("acpid: power button pressed (%s)\n", how);
	a->shutting_down = true;
	int err = rb_kill(1, RB_SIGTERM);
	if (err < 0) {
		/* No init to stop the services in order: power off here. */
		rb_printf("acpid: SIGTERM to init: %s; powering off without init\n", err_name(err));
		(void)power_off(a);
	}
}

/* Is path a control-method power button (_HID PNP0C0C)? */
static bool is_power_button(struct acpid *a, const char *path)
{
	char hid_path[256], id[8] = "";
	struct aml_value v;
	if (fmt_snprintf(hid_path, sizeof hid_path, "%s._HID", path) >= (int)sizeof hid_path ||
	    !aml_exists(a->aml, hid_path, NULL) || aml_eval(a->aml, hid_path, NULL, 0, &v) < 0)
		return false;
	if (v.type == AML_INTEGER)
		aml_eisa_id((uint32_t)v.integer, id);
	else if (v.type == AML_STRING && v.string.len < sizeof id)
		memcpy(id, v.string.ptr, v.string.len + 1);
	aml_value_free(a->aml, &v);
	return strcmp(id, "PNP0C0C") == 0;
}

/*
 * Called from inside the AML interpreter (a GPE method's Notify), where
 * evaluating _HID would re-enter it: only note the device; power_sci looks
 * at the notes once the method has returned. ACPI 6.5 4.8.2.2.1.2: 0x80
 * on a power button device is a press.
 */
void power_notify(struct acpid *a, const char *path, uint64_t value)
{
	size_t len = strlen(path);
	if (value != 0x80)
		return;
	if (pw.nnotes == MAX_NOTES || len >= sizeof pw.notes[0]) {
		rb_printf("acpid: Notify(%s, 0x80) dropped\n", path);
		return;
	}
	memcpy(pw.notes[pw.nnotes++], path, len + 1);
}

/* The Notify(dev, 0x80) noted during the GPE methods: a press if on a PNP0C0C device. */
static void take_notes(struct acpid *a)
{
	for (int i = 0; i < pw.nnotes; i++)
		if (a->aml && is_power_button(a, pw.notes[i]))
			press(a, pw.notes[i]);
	pw.nnotes = 0;
}

/* Handle the pending GPEs: how many. */
static int gpes(struct acpid *a)
{
	unsigned pend[32];
	char method[11];
	int n = acpi_gpe_pending(&pw.pm, &io, pend, 32);
	for (int i = 0; i < n && i < 32; i++) {
		unsigned g = pend[i];
		bool level = bit_get(pw.gpe_level, g);
		if (!level && !bit_get(pw.gpe_edge, g)) {
			/* enabled by someone else: off, so it cannot storm */
			rb_printf("acpid: GPE %#x has no method; disabled\n", g);
			(void)!acpi_gpe_enable(&pw.pm, &io, g, false);
			(void)!acpi_gpe_clear(&pw.pm, &io, g);
			continue;
		}
		acpi_gpe_method(g, level, method);
		if (!level)
			(void)!acpi_gpe_clear(&pw.pm, &io, g);
		if (a->aml)
			(void)run_method(a, method, 0, 0);
		if (level)
			(void)!acpi_gpe_clear(&pw.pm, &io, g);
	}
	return n;
}

void power_sci(struct acpid *a, int fd)
{
	uint64_t count = 0, ack = 1;
	uint16_t sts = 0, en = 0;
	(void)rb_read(fd, &count, sizeof count);
	if (pw.have_pm && acpi_pm1_status(&pw.pm, &io, &sts) == 0 &&
	    acpi_pm1_enabled(&pw.pm, &io, &en) == 0) {
		uint16_t mine = sts & en & ACPI_PM1_FIXED_EVENTS;
		if (mine)
			(void)!acpi_pm1_clear(&pw.pm, &io, mine);
		if (mine & ACPI_PM1_PWRBTN)
			press(a, "fixed event");
		if (mine & ~ACPI_PM1_PWRBTN)
			rb_printf("acpid: fixed events %#x ignored\n", mine & ~ACPI_PM1_PWRBTN);
	}
	if (pw.have_pm)
		(void)gpes(a);
	take_notes(a);
	/* last: a level SCI is unmasked by this, and its sources are quiet now */
	(void)rb_write(fd, &ack, sizeof ack);
}

/* ---------------------------------------------------------------- S5 and reset */

/* SLP_TYPa/b of \_S5_: 0 or an error, logged. */
static int s5_types(struct acpid *a, uint8_t *ta, uint8_t *tb)
{
	struct aml_value v;
	uint64_t e[2] = {0, 0};
	bool is_int[2] = {false, false};
	int err;
	if (!a->aml || !aml_exists(a->aml, "\\_S5_", NULL)) {
		rb_printf("acpid: no \\_S5_ in the namespace\n");
		return -E_NOTSUP;
	}
	if ((err = aml_eval(a->aml, "\\_S5_", NULL, 0, &v)) < 0) {
		rb_printf("acpid: \\_S5_: %s (%s)\n", err_name(err), aml_last_error(a->aml));
		return err;
	}
	err = -E_INVAL;
	if (v.type == AML_PACKAGE) {
		size_t n = v.package.count < 2 ? v.package.count : 2;
		for (size_t i = 0; i < n; i++) {
			is_int[i] = v.package.elems[i].type == AML_INTEGER;
			e[i] = v.package.elems[i].integer;
		}
		err = acpi_sleep_types(e, is_int, n, ta, tb);
	}
	aml_value_free(a->aml, &v);
	if (err < 0)
		rb_printf("acpid: \\_S5_ holds no sleep types\n");
	return err;
}

int power_off(struct acpid *a)
{
	uint8_t ta, tb;
	bool changed;
	int err;
	a->shutting_down = true;
	if (!pw.have_pm) {
		if (!a->have_fadt || acpi_pm_from_fadt(&a->fadt, &pw.pm) < 0) {
			rb_printf("acpid: poweroff: no usable PM1 control block\n");
			return -E_NOTSUP;
		}
		pw.have_pm = true;
	}
	if ((err = s5_types(a, &ta, &tb)) < 0)
		return err;
	if (aml_exists(a->aml, "\\_PTS", NULL))
		(void)run_method(a, "\\_PTS", 1, 5); /* ACPI 6.5 7.4.1: prepare to sleep, S5 */
	if ((err = acpi_pm_acpi_mode(&pw.pm, &io, &changed)) < 0) {
		rb_printf("acpid: poweroff: ACPI mode: %s\n", err_name(err));
		return err;
	}
	/* No wake events: every GPE off and clear, fixed status clear. */
	(void)!acpi_gpe_reset_all(&pw.pm, &io);
	(void)!acpi_pm1_clear(&pw.pm, &io, ACPI_PM1_FIXED_EVENTS);
	rb_printf("acpid: entering S5 (SLP_TYPa %u, SLP_TYPb %u)\n", ta, tb);
	if ((err = acpi_pm_sleep(&pw.pm, &io, ta, tb)) < 0) {
		rb_printf("acpid: poweroff: PM1 control: %s\n", err_name(err));
		return err;
	}
	(void)rb_nanosleep(S5_WAIT_MS * MS);
	rb_printf("acpid: still running %u ms after entering S5\n", S5_WAIT_MS);
	return -E_TIMEDOUT;
}

/* The FADT reset register in PCI config space of bus 0 (ACPI 6.5 5.2.3.2:
   device in address bits 32-47, function 16-31, offset 0-15), via pci:. */
static int reset_pci(const struct acpi_reset_step *s)
{
	char path[64];
	unsigned dev = (unsigned)(s->addr >> 32 & 0xffff), fn = (unsigned)(s->addr >> 16 & 0xffff);
	unsigned off = (unsigned)(s->addr & 0xffff);
	if (dev > 31 || fn > 7)
		return -E_INVAL;
	fmt_snprintf(path, sizeof path, "pci:/0000:00:%02x.%x/config", dev, fn);
	int fd = rb_open(path, RB_O_RDWR);
	if (fd < 0)
		return fd;
	long r = rb_lseek(fd, off, 0);
	if (r >= 0)
		r = rb_write(fd, &s->value, 1);
	rb_close(fd);
	return r < 0 ? (int)r : 0;
}

int power_reboot(struct acpid *a)
{
	struct acpi_reset_step steps[ACPI_RESET_STEPS];
	size_t n = acpi_reset_plan(a->have_fadt ? &a->fadt : NULL, steps);
	a->shutting_down = true;
	for (size_t i = 0; i < n; i++) {
		const struct acpi_reset_step *s = &steps[i];
		int err;
		rb_printf("acpid: reset through the %s\n", acpi_reset_name(s->kind));
		if (s->kind == ACPI_RESET_KERNEL)
			err = rb_reboot();
		else if (s->kind == ACPI_RESET_REG_PCI)
			err = reset_pci(s);
		else
			err = acpi_reset_do(s, &io);
		if (err < 0) {
			rb_printf("acpid: %s: %s\n", acpi_reset_name(s->kind), err_name(err));
			continue;
		}
		(void)rb_nanosleep(RESET_WAIT_MS * MS);
		rb_printf("acpid: still running after the %s\n", acpi_reset_name(s->kind));
	}
	return -E_TIMEDOUT;
}
