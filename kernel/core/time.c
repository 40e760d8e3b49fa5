/*
 * time.c - TSC calibration and the monotonic clock (see time.h).
 *
 * Calibration: PIT channel 2 counts down 1193182 Hz for a fixed interval
 * while we read the TSC at both ends (the gate is driven through port
 * 0x61, so no interrupt is involved). ns = (tsc - tsc0) * mult >> 32.
 */
#include <stdint.h>
#include "arch/x86_64/cpu.h"
#include "core/time.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

static uint64_t tsc0;
static uint64_t tsc_hz;
static uint64_t ns_mult; /* ns = ticks * ns_mult >> 32 */

static uint64_t pit_calibrate(uint32_t ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint8_t gate = inb(PIT_GATE);
	outb(PIT_GATE, (gate & ~0x02) | 0x01); /* speaker off, gate on */
	outb(PIT_CMD, 0xB0);		       /* ch2, lo/hi, mode 0, binary */
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20)) /* OUT2 goes high at terminal count */
		;
	uint64_t t1 = rdtsc();
	outb(PIT_GATE, gate);
	return (t1 - t0) * 1000 / ms;
}

void time_init(void)
{
	uint64_t start = rdtsc();
	tsc_hz = pit_calibrate(10);
	if (tsc_hz == 0)
		tsc_hz = 1000000000;
	ns_mult = ((unsigned __int128)1000000000 << 32) / tsc_hz;
	tsc0 = start;
}

uint64_t time_ns(void)
{
	if (!tsc_hz)
		return 0;
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc0) * ns_mult) >> 32);
}

uint64_t time_tsc_hz(void)
{
	return tsc_hz;
}

void ndelay(uint64_t ns)
{
	uint64_t end = time_ns() + ns;
	while (time_ns() < end)
		cpu_pause();
}

void udelay(uint64_t us)
{
	ndelay(us * 1000);
}
