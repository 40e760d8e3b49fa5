/*
 * irqplan.h - the interrupt fall-back planner of pcid's `irq` node, pure
 * (docs/pcid.md).
 *
 * A driver's request (`auto N`, `msix N`, `msi N`, `intx`, `none`) names
 * the first mode to try; the planner walks MSI-X, MSI, INTx, poll from
 * there and stops at the first mode that the device offers and that the
 * caller's callbacks manage to set up. Each step that fails logs one line
 * through the log callback, undoes what that mode had got (the vectors or
 * the GSI handle) and goes on to the next, so the device ends in exactly
 * one mode and never half-enabled. The callbacks do the work (irq:
 * allocation, the acpid route, the config space writes); the plan keeps
 * no state and takes no locks: the caller serialises calls on one device.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

enum irqplan_mode {
	IRQPLAN_MSIX,
	IRQPLAN_MSI,
	IRQPLAN_INTX,
	IRQPLAN_POLL,
};

/* A request: the first mode to try (auto is MSI-X) and how many vectors. */
struct irqplan_req {
	enum irqplan_mode first;
	unsigned n; /* 1..IRQPLAN_MAX_VECTORS for MSI-X/MSI; 1 for INTx and poll */
};

/* The most vectors a request may ask for (the irq: scheme's largest block). */
#define IRQPLAN_MAX_VECTORS 32

/* What the device offers. */
struct irqplan_offer {
	unsigned msix_max; /* MSI-X table size, 0: no MSI-X */
	unsigned msi_max;  /* MSI multiple message capable, 0: no MSI */
	uint8_t intx_pin;  /* 1..4 = INTA..INTD, 0: no INTx */
	bool fail_msi;	   /* fault injection: MSI-X and MSI allocation fail */
};

/* An INTx route as acpid gives it. */
struct irqplan_route {
	uint32_t gsi;
	bool level; /* level (true) or edge triggered */
	bool low;   /* active low (true) or high */
};

/* The outcome: the mode, its vector count (1 for INTx, 0 for poll) and,
   for INTx, the route. */
struct irqplan_result {
	enum irqplan_mode mode;
	unsigned n;
	struct irqplan_route route;
};

/*
 * The work, done by the caller. Each returns 0 or a negative E_* code;
 * on an error it has left nothing behind of its own step.
 *   alloc:   MSI-X/MSI: get r->n vectors; INTx: open the GSI of r->route.
 *   program: write the device (MSI/MSI-X enable, or INTx enable); on an
 *            error the device is as before the call.
 *   undo:    give back what alloc got (called after program failed).
 *   route:   INTx: ask acpid for the pin's route into *out.
 *   log:     one line: the mode that failed, at which step, the error.
 */
struct irqplan_ops {
	int (*alloc)(void *ctx, const struct irqplan_result *r);
	int (*program)(void *ctx, const struct irqplan_result *r);
	void (*undo)(void *ctx, const struct irqplan_result *r);
	int (*route)(void *ctx, struct irqplan_route *out);
	void (*log)(void *ctx, enum irqplan_mode mode, const char *step, int err);
};

/* Parse a request (len bytes, a trailing newline allowed): 0, or -E_INVAL. */
int irqplan_parse_req(const char *s, size_t len, struct irqplan_req *out) MUST_CHECK;

/* Parse acpid's route answer `GSI level|edge low|high` (newline allowed):
   0, or -E_INVAL. */
int irqplan_parse_route(const char *s, size_t len, struct irqplan_route *out) MUST_CHECK;

/* Parse the path of an irq: handle (its fpath), `irq:/cpu/C/apic/A/vector/V`
   with an optional `/gsi/G` after it: *apic = A, *vector = V. 0, or -E_INVAL. */
int irqplan_parse_vector_path(const char *s, size_t len, uint32_t *apic,
			      uint32_t *vector) MUST_CHECK;

/* The mode's word in answers and logs: "msix", "msi", "intx", "poll". */
const char *irqplan_mode_name(enum irqplan_mode m);

/* The vectors a mode would get for a request of n, 0 when the device
   does not offer the mode: MSI-X: the least of n, the offer and 32 (each
   entry is a vector of its own); MSI: the largest power of two not above
   those (one aligned block); INTx 1 with a pin; poll 0. */
unsigned irqplan_count(const struct irqplan_offer *o, enum irqplan_mode m, unsigned n);

/* Run the plan: *out gets the mode reached (poll at worst, which needs
   no callback). Never fails. */
void irqplan_run(const struct irqplan_offer *o, const struct irqplan_req *req,
		 const struct irqplan_ops *ops, void *ctx, struct irqplan_result *out);

/* The answer line for r into buf (`msix N\n`, `msi N\n`,
   `intx GSI level|edge low|high\n`, `poll\n`); its length, or -E_RANGE
   when len is too short. */
int irqplan_format(const struct irqplan_result *r, char *buf, size_t len) MUST_CHECK;
