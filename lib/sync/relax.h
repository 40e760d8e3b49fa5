/*
 * relax.h - cpu_relax(), the body of every spin-wait loop.
 *
 * PAUSE (Intel SDM Vol. 2B) tells the core it is in a spin loop: it saves
 * power, yields pipeline resources to a hyper-thread sibling and avoids the
 * memory-order mis-speculation penalty on loop exit. It is an ordinary
 * instruction (no SSE state), so it is usable under -mgeneral-regs-only. The
 * host tests run on x86_64 too; other hosts get a compiler barrier only.
 */
#pragma once

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ volatile("" ::: "memory");
#endif
}
