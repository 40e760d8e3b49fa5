/*
 * time.c - TSC clock, calibration sources and the LAPIC timer (see time.h).
 *
 * Calibration measures TSC ticks across a reference interval: the HPET main
 * counter (period in femtoseconds from its capabilities register, HPET spec
 * 1.0a §2.3.4) over 2 ms, or PIT channel 2 counting down at 1193182 Hz over
 * 10 ms with its gate driven through port 0x61 (no interrupt needed). The
 * arithmetic (overflow-free, integer) is lib/time/tsc.c's.
 * LAPIC timer: in TSC-deadline mode (CPUID.1:ECX[24]) the timer fires when
 * the TSC passes IA32_TSC_DEADLINE (SDM §11.5.4.1); otherwise one-shot mode
 * with divide-by-16, its rate measured against the TSC over 1 ms.
 * An HPET whose table gives address 0, a page inside the local APIC's, RAM
 * or an address past the physical width (acpi_mmio_problem) is never
 * touched: the log says why and calibration falls back to the PIT.
 *
 * Locking: the clock and timer state (tsc0, conv, calibrated, the timer
 * mode and rate, realtime_offset) is written by the boot CPU in
 * time_start/time_init before the APs start and only read afterwards;
 * ticks[] has one slot per CPU, written only by that CPU's timer
 * interrupt. The timer functions act on the calling CPU's own APIC.
 */
#include <stdint.h>
#include "arch.h"
#include "boot/acpi.h"
#include "core/log.h"
#include "core/percpu.h"
#include "sched/sched.h"
#include "core/time.h"
#include "time/tsc.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define HPET_CAP 0x00
#define HPET_CONFIG 0x10
#define HPET_COUNTER 0xF0
#define MSR_TSC_DEADLINE 0x6E0
#define LVT_TSC_DEADLINE (2u << 17)
/* Give up on a calibration source that has not finished after this many
   TSC ticks: the TSC rate is not known yet, but 2^32 ticks is over 0.4 s
   even at 10 GHz (the intervals are 2 and 10 ms) and at most a few
   seconds on any real TSC. A bound on loop turns is no bound in time: an
   HPET read can take a microsecond, so 10^8 of them was minutes. */
#define CALIBRATE_GIVE_UP_TSC (1ull << 32)

static uint64_t tsc0;
static uint64_t realtime_offset; /* ns since 1970 at time_ns() == 0 */
static void rtc_read(void);
static struct tsc_conv conv;
static bool calibrated, deadline_mode;
static uint64_t lapic_hz; /* one-shot mode: timer ticks per second (after /16) */
static volatile uint64_t ticks[256];

void time_start(void)
{
	tsc0 = rdtsc();
}

uint64_t time_ns(void)
{
	return calibrated ? tsc_to_ns(&conv, rdtsc() - tsc0) : 0;
}

uint64_t time_tsc_hz(void)
{
	return calibrated ? conv.hz : 0;
}

void ndelay(uint64_t ns)
{
	uint64_t end = rdtsc() + tsc_from_ns(&conv, ns);
	while (rdtsc() < end)
		cpu_pause();
}

void udelay(uint64_t us)
{
	ndelay(us * 1000);
}

static int hz_from_pit(uint64_t *hz)
{
	const uint32_t ms = 10, count = TSC_PIT_HZ * ms / 1000;
	uint8_t gate = inb(PIT_GATE);
	outb(PIT_GATE, (gate & ~0x02) | 0x01); /* speaker off, gate on */
	outb(PIT_CMD, 0xB0);		       /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20)) /* OUT2 goes high at 0 */
		if (rdtsc() - t0 > CALIBRATE_GIVE_UP_TSC)
			return -1; /* no PIT (some modern boards): give up */
	uint64_t t1 = rdtsc();
	outb(PIT_GATE, gate);
	return tsc_calibrate_pit(t1 - t0, count, hz);
}

static int hz_from_hpet(const struct hpet_info *hpet, uint64_t *hz)
{
	if (!hpet || hpet->base.space_id != ACPI_GAS_MEMORY)
		return -1;
	const char *why = acpi_mmio_problem(hpet->base.address, 0x400);
	if (why) {
		kprintf("time: HPET at %#lx rejected: %s; falling back to the PIT\n",
			(unsigned long)hpet->base.address, why);
		return -1;
	}
	volatile uint64_t *h = mmio_map(hpet->base.address, 0x400);
	if (!h)
		return -1;
	uint32_t period = (uint32_t)(h[HPET_CAP / 8] >> 32);
	if (period == 0 || period > TSC_HPET_MAX_PERIOD_FS)
		return -1;
	h[HPET_CONFIG / 8] |= 1;		   /* counter on */
	uint64_t want = 2000000000000ull / period; /* 2 ms in HPET ticks */
	uint64_t c0 = h[HPET_COUNTER / 8], t0 = rdtsc(), c1;
	while ((c1 = h[HPET_COUNTER / 8]) - c0 < want)
		if (rdtsc() - t0 > CALIBRATE_GIVE_UP_TSC)
			return -1; /* counter does not move */
	uint64_t t1 = rdtsc();
	return tsc_calibrate_hpet(t1 - t0, c1 - c0, period, hz);
}

static void timer_irq(struct trap_frame *tf)
{
	ticks[percpu_id() & 255]++;
	lapic_eoi();
	sched_tick();
}

void time_init(const struct hpet_info *hpet)
{
	uint64_t hz = 0;
	const char *src = "CPUID";
	uint32_t max = cpuid(0, 0).eax;
	struct cpuid_regs l15 = max >= 0x15 ? cpuid(0x15, 0) : (struct cpuid_regs){0};
	struct cpuid_regs l16 = max >= 0x16 ? cpuid(0x16, 0) : (struct cpuid_regs){0};
	if (tsc_hz_from_cpuid(l15.eax, l15.ebx, l15.ecx, l16.eax, &hz) < 0) {
		src = "HPET";
		if (hz_from_hpet(hpet, &hz) < 0) {
			src = "PIT";
			if (hz_from_pit(&hz) < 0) {
				src = "nothing (assumed 1 GHz)";
				hz = 1000000000;
			}
		}
	}
	if (tsc_conv_init(&conv, hz) < 0 && tsc_conv_init(&conv, hz = 1000000000) < 0)
		hz = 0; /* cannot happen for 1 GHz; keeps the result checked */
	calibrated = true;
	bool invariant =
	    cpuid(0x80000000, 0).eax >= 0x80000007 && (cpuid(0x80000007, 0).edx & (1u << 8));
	deadline_mode = cpuid(1, 0).ecx & (1u << 24);
	kprintf("time: TSC %lu.%03lu MHz from %s%s\n", (unsigned long)(hz / 1000000),
		(unsigned long)(hz / 1000 % 1000), src, invariant ? ", invariant" : "");
	trap_register(VEC_TIMER, timer_irq);
	rtc_read();
}

static void lapic_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
	udelay(1000);
	uint32_t left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_hz = (uint64_t)(0xFFFFFFFF - left) * 1000;
}

void timer_init_cpu(void)
{
	if (deadline_mode) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | VEC_TIMER);
	} else {
		if (!lapic_hz) {
			lapic_calibrate();
			kprintf(
			    "time: LAPIC timer one-shot, %lu kHz (calibrated against the TSC)\n",
			    (unsigned long)(lapic_hz / 1000));
		}
		lapic_write(LAPIC_TIMER_DIV, 0x3);
		lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
	}
	if (deadline_mode && percpu_id() == 0)
		kprintf("time: LAPIC timer in TSC-deadline mode\n");
}

void timer_arm_ns(uint64_t ns)
{
	if (deadline_mode) {
		wrmsr(MSR_TSC_DEADLINE, tsc_deadline(&conv, rdtsc(), ns));
		return;
	}
	if (ns > 10000000000ull)
		ns = 10000000000ull; /* 10 s: keeps lapic_hz * ns inside 64 bits */
	uint64_t count = lapic_hz * ns / 1000000000;
	lapic_write(LAPIC_TIMER_INIT,
		    count ? (count > 0xFFFFFFFF ? 0xFFFFFFFF : (uint32_t)count) : 1);
}

uint64_t timer_ticks(void)
{
	return ticks[percpu_id() & 255];
}

void timer_selftest(void)
{
	uint64_t before = timer_ticks();
	timer_arm_ns(100000);
	uint64_t deadline = time_ns() + 1000000000;
	while (timer_ticks() == before && time_ns() < deadline)
		__asm__ volatile("sti; hlt; cli");
	if (timer_ticks() == before)
		kprintf("time: LAPIC timer did not fire within 1 s\n");
	else
		kprintf("time: LAPIC timer interrupt ok\n");
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(uint64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	uint64_t era = y / 400, yoe = y - era * 400;
	uint64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Read the CMOS clock (MC146818: wait out an update, BCD unless status B bit 2). */
static void rtc_read(void)
{
	for (int i = 0; i < 100000 && (cmos(0x0A) & 0x80); i++)
		cpu_pause();
	uint8_t sec = cmos(0), min = cmos(2), hour = cmos(4), day = cmos(7), mon = cmos(8),
		year = cmos(9), b = cmos(0x0B);
	if (!(b & 4)) {
#define BCD(x) ((uint8_t)(((x)&0x0F) + ((x) >> 4) * 10))
		sec = BCD(sec), min = BCD(min), day = BCD(day), mon = BCD(mon), year = BCD(year);
		hour = (uint8_t)(BCD(hour & 0x7F) | (hour & 0x80));
#undef BCD
	}
	if (!(b & 2) && (hour & 0x80)) /* 12-hour clock, PM */
		hour = (uint8_t)(((hour & 0x7F) % 12) + 12);
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) {
		kprintf("time: CMOS clock unreadable; realtime starts at 1970\n");
		return;
	}
	uint64_t secs =
	    days_from_civil(2000u + year, mon, day) * 86400 + hour * 3600u + min * 60u + sec;
	realtime_offset = secs * 1000000000ull - time_ns();
}

uint64_t time_realtime_offset(void)
{
	return realtime_offset;
}
