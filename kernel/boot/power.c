/*
 * power.c - power-off through ACPI S5 and reset (see power.h).
 *
 * At boot, power_init() loads the DSDT into a short-lived AML interpreter
 * (lib/aml, with the kernel heap and no region handlers: \_S5_ is a plain
 * Name on every machine we know), evaluates \_S5_ and keeps SLP_TYPa and
 * SLP_TYPb; the interpreter is freed at once, so nothing AML runs later.
 * A missing or malformed \_S5_ is logged and leaves power-off to halt.
 *
 * power_off() turns on ACPI mode if the firmware left it off (SMI_CMD <-
 * ACPI_ENABLE, FADT), writes SLP_TYP | SLP_EN to PM1b then PM1a control
 * (ACPI 6.5 section 7.4.2 / 16.1.7) and waits; if the machine is still
 * running it resets instead. power_reboot() tries the FADT reset register
 * (I/O space), then the 8042's reset line, then a triple fault, waiting a
 * little after each. QEMU exits on S5 and, with -no-reboot, on any reset.
 *
 * Locking: none is needed, and no lock guards this file's state. s5 is
 * written once by power_init on the boot CPU before any other CPU runs
 * and is read-only afterwards. power_off/power_reboot run with interrupts
 * off on the calling CPU and never return; two CPUs calling them at once
 * write the same registers with the same values. Other CPUs are left
 * running (nothing they do matters once the power is gone).
 */
#include "arch.h"
#include "acpi/sleep.h"
#include "aml/aml.h"
#include "base/err.h"
#include "boot/acpi.h"
#include "boot/power.h"
#include "core/log.h"
#include "core/time.h"
#include "mm/mem.h"

static struct {
	bool ok;
	uint8_t a, b; /* SLP_TYPa, SLP_TYPb */
} s5;

static void *aml_alloc(void *ctx, size_t size)
{
	return kmalloc(size);
}

static void aml_free(void *ctx, void *p, size_t size)
{
	kfree(p);
}

/* Decode \_S5_'s value into s5: 0 or -E_INVAL. */
static int take_s5(const struct aml_value *v)
{
	uint64_t e[2] = {0, 0};
	bool is_int[2] = {false, false};
	if (v->type != AML_PACKAGE)
		return -E_INVAL;
	size_t n = v->package.count < 2 ? v->package.count : 2;
	for (size_t i = 0; i < n; i++) {
		is_int[i] = v->package.elems[i].type == AML_INTEGER;
		e[i] = v->package.elems[i].integer;
	}
	return acpi_sleep_types(e, is_int, n, &s5.a, &s5.b);
}

/* Evaluate \_S5_ in aml: 0, or -E_* with *why set. */
static int eval_s5(struct aml *aml, const void *dsdt, size_t len, const char **why)
{
	int idx, err = aml_load_table(aml, dsdt, len, &idx);
	if (err < 0) {
		*why = "the DSDT does not load";
		return err;
	}
	if (!aml_exists(aml, "\\_S5_", NULL)) {
		*why = "no \\_S5_";
		return -E_NOENT;
	}
	struct aml_value v;
	err = aml_eval(aml, "\\_S5_", NULL, 0, &v);
	if (err < 0) {
		*why = "\\_S5_ fails to evaluate";
		return err;
	}
	err = take_s5(&v);
	if (err < 0)
		*why = "\\_S5_ holds no sleep types";
	aml_value_free(aml, &v);
	return err;
}

void power_init(const void *dsdt, size_t len)
{
	struct aml_host host = {.alloc = aml_alloc, .free = aml_free};
	struct aml_limits lim = {.max_steps = 1000000, .max_memory = 16u << 20};
	struct aml *aml;
	const char *why = "no memory for the AML interpreter";
	int err = aml_create(&host, &aml);
	if (err == 0) {
		aml_set_limits(aml, &lim);
		err = eval_s5(aml, dsdt, len, &why);
		aml_destroy(aml);
	}
	if (err < 0) {
		kprintf("acpi: %s (%s): poweroff will halt\n", why, err_name(err));
		return;
	}
	s5.ok = true;
	kprintf("acpi: \\_S5_: SLP_TYPa %u SLP_TYPb %u\n", s5.a, s5.b);
}

/* Busy-wait about ms milliseconds (interrupts are off). */
static void wait_ms(uint64_t ms)
{
	uint64_t end = time_ns() + ms * 1000000;
	while (time_ns() < end)
		cpu_pause();
}

/* The I/O port of a PM1 control block: the X_ field when it is set and in
   I/O space, else the 32-bit one; 0 if none. */
static uint16_t pm1_port(bool have_x, const struct acpi_gas *x, uint32_t legacy)
{
	if (have_x && x->address && x->space_id == ACPI_GAS_IO)
		return (uint16_t)x->address;
	return legacy <= 0xffff ? (uint16_t)legacy : 0;
}

/* ACPI mode on: SCI_EN set, asking the firmware through SMI_CMD if needed. */
static void acpi_mode_on(uint16_t pm1a)
{
	const struct fadt_info *f = &acpi.fadt;
	if ((arch_port_read(pm1a, 2) & ACPI_PM1_SCI_EN) || !f->smi_cmd || !f->acpi_enable ||
	    f->smi_cmd > 0xffff)
		return;
	arch_port_write((uint16_t)f->smi_cmd, 1, f->acpi_enable);
	for (int i = 0; i < 300 && !(arch_port_read(pm1a, 2) & ACPI_PM1_SCI_EN); i++)
		wait_ms(10);
}

void power_off(void)
{
	cpu_cli();
	const struct fadt_info *f = &acpi.fadt;
	uint16_t pm1a = 0, pm1b = 0;
	if (acpi.have_fadt && !fadt_hw_reduced(f)) {
		pm1a =
		    pm1_port(f->have & FADT_HAVE_X_PM1A_CNT, &f->x_pm1a_cnt_blk, f->pm1a_cnt_blk);
		pm1b =
		    pm1_port(f->have & FADT_HAVE_X_PM1B_CNT, &f->x_pm1b_cnt_blk, f->pm1b_cnt_blk);
	}
	if (!s5.ok || !pm1a) {
		kprintf("poweroff: no ACPI S5 (%s); halting\n",
			s5.ok ? "no PM1a control block in the FADT" : "no usable \\_S5_");
		cpu_halt_forever();
	}
	kprintf("poweroff: ACPI S5 (SLP_TYPa %u, SLP_TYPb %u, PM1a %#x)\n", s5.a, s5.b, pm1a);
	acpi_mode_on(pm1a);
	if (pm1b)
		arch_port_write(pm1b, 2,
				acpi_pm1_sleep_value((uint16_t)arch_port_read(pm1b, 2), s5.b));
	arch_port_write(pm1a, 2, acpi_pm1_sleep_value((uint16_t)arch_port_read(pm1a, 2), s5.a));
	wait_ms(1000);
	kprintf("poweroff: still running after ACPI S5; resetting instead\n");
	power_reboot();
}

/* The FADT's reset register, if it is in I/O space: true if written. */
static bool reset_register(void)
{
	struct acpi_gas reg;
	uint8_t value;
	if (!acpi.have_fadt || !fadt_reset(&acpi.fadt, &reg, &value))
		return false;
	if (reg.space_id != ACPI_GAS_IO || reg.address > 0xffff) {
		kprintf("reboot: the FADT reset register is not in I/O space (%u); skipped\n",
			reg.space_id);
		return false;
	}
	kprintf("reboot: ACPI reset register (port %#lx <- %#x)\n", (unsigned long)reg.address,
		value);
	arch_port_write((uint16_t)reg.address, 1, value);
	return true;
}

void power_reboot(void)
{
	cpu_cli();
	if (reset_register())
		wait_ms(500);
	kprintf("reboot: keyboard controller reset\n");
	arch_reset_kbc();
	wait_ms(500);
	kprintf("reboot: triple fault\n");
	arch_triple_fault();
}
