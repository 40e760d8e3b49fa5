/*
 * test_pci_irqplan.c - lib/pci/irqplan.c: requests and routes parse (and
 * bad ones do not), and the planner, run against callbacks that fail at a
 * chosen step of a chosen mode, falls through to the next mode with one
 * log line per failure, undoes exactly what the failed mode got, and ends
 * with one live allocation (none for poll). Every failure point of every
 * mode is tried from every request, and the fault-injection option.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "pci/irqplan.h"

enum step { S_NONE, S_ROUTE, S_ALLOC, S_PROGRAM };

struct fake {
	enum irqplan_mode fail_mode;
	enum step fail_step;
	int live;	/* allocations not undone */
	int programmed; /* program calls that succeeded */
	unsigned nlog;
	enum irqplan_mode logged[8];
	char steps[8][32];
	unsigned alloc_n[4]; /* n asked per mode */
};

static bool failing(struct fake *f, enum irqplan_mode m, enum step s)
{
	return f->fail_step == s && f->fail_mode == m;
}

static int f_alloc(void *ctx, const struct irqplan_result *r)
{
	struct fake *f = ctx;
	assert_true(r->mode != IRQPLAN_POLL);
	f->alloc_n[r->mode] = r->n;
	if (failing(f, r->mode, S_ALLOC))
		return -E_NOSPC;
	f->live++;
	return 0;
}

static int f_program(void *ctx, const struct irqplan_result *r)
{
	struct fake *f = ctx;
	assert_int_equal(f->live, 1); /* program only what was allocated */
	if (failing(f, r->mode, S_PROGRAM))
		return -E_IO;
	f->programmed++;
	return 0;
}

static void f_undo(void *ctx, const struct irqplan_result *r)
{
	struct fake *f = ctx;
	assert_int_equal(f->live, 1);
	f->live--;
}

static int f_route(void *ctx, struct irqplan_route *out)
{
	struct fake *f = ctx;
	if (failing(f, IRQPLAN_INTX, S_ROUTE))
		return -E_NOENT;
	*out = (struct irqplan_route){.gsi = 16, .level = true, .low = true};
	return 0;
}

static void f_log(void *ctx, enum irqplan_mode mode, const char *step, int err)
{
	struct fake *f = ctx;
	assert_true(err < 0);
	assert_true(f->nlog < 8);
	f->logged[f->nlog] = mode;
	strncpy(f->steps[f->nlog], step, sizeof f->steps[0] - 1);
	f->nlog++;
}

static const struct irqplan_ops OPS = {f_alloc, f_program, f_undo, f_route, f_log};

static void test_parse_req(void **state)
{
	struct irqplan_req r;
	assert_int_equal(irqplan_parse_req("auto 4", 6, &r), 0);
	assert_int_equal(r.first, IRQPLAN_MSIX);
	assert_int_equal(r.n, 4);
	assert_int_equal(irqplan_parse_req("msix 32\n", 8, &r), 0);
	assert_int_equal(r.first, IRQPLAN_MSIX);
	assert_int_equal(r.n, 32);
	assert_int_equal(irqplan_parse_req("msi 1", 5, &r), 0);
	assert_int_equal(r.first, IRQPLAN_MSI);
	assert_int_equal(irqplan_parse_req("intx\n", 5, &r), 0);
	assert_int_equal(r.first, IRQPLAN_INTX);
	assert_int_equal(irqplan_parse_req("none", 4, &r), 0);
	assert_int_equal(r.first, IRQPLAN_POLL);

	static const char *bad[] = {"",	       "auto",	  "auto 0",	     "auto 33",
				    "auto -1", "auto 01", "auto 4 4",	     "intx 1",
				    "none x",  "msi4",	  "MSI 4",	     "auto 4\n\n",
				    "auto\t4", "autox 4", "auto 99999999999"};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(irqplan_parse_req(bad[i], strlen(bad[i]), &r), -E_INVAL);
	/* Bytes past len are not looked at. */
	assert_int_equal(irqplan_parse_req("msi 2junk", 5, &r), 0);
	assert_int_equal(r.n, 2);
}

static void test_parse_route(void **state)
{
	struct irqplan_route r;
	assert_int_equal(irqplan_parse_route("16 level low\n", 13, &r), 0);
	assert_int_equal(r.gsi, 16);
	assert_true(r.level);
	assert_true(r.low);
	assert_int_equal(irqplan_parse_route("11 edge high", 12, &r), 0);
	assert_int_equal(r.gsi, 11);
	assert_false(r.level);
	assert_false(r.low);
	assert_int_equal(irqplan_parse_route("4294967295 edge high", 20, &r), 0);
	assert_int_equal(r.gsi, 0xffffffffu);
	static const char *bad[] = {"",
				    "16",
				    "16 level",
				    "16 level lo",
				    "x level low",
				    "16 level low x",
				    "4294967296 edge high",
				    "-1 edge high",
				    "16 Level low"};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(irqplan_parse_route(bad[i], strlen(bad[i]), &r), -E_INVAL);
}

static void test_vector_path(void **state)
{
	uint32_t a = 0, v = 0;
	const char *p = "irq:/cpu/1/apic/3/vector/65";
	assert_int_equal(irqplan_parse_vector_path(p, strlen(p), &a, &v), 0);
	assert_int_equal(a, 3);
	assert_int_equal(v, 65);
	p = "irq:/cpu/0/apic/0/vector/48/gsi/16";
	assert_int_equal(irqplan_parse_vector_path(p, strlen(p), &a, &v), 0);
	assert_int_equal(a, 0);
	assert_int_equal(v, 48);
	static const char *bad[] = {"irq:/cpu/1/apic/3",
				    "irq:/cpu/1/apic/3/vector/",
				    "irq:/cpu/1/apic/3/vector/256",
				    "irq:/cpu/1/apic/x/vector/40",
				    "irq:/cpu/1/apic/3/vector/40/",
				    "irq:/cpu/1/apic/3/vector/40/gsi/",
				    "irq:/cpu/1/apic/3/vector/40/foo/1",
				    "log:/cpu/1/apic/3/vector/40",
				    ""};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(irqplan_parse_vector_path(bad[i], strlen(bad[i]), &a, &v),
				 -E_INVAL);
}

static void test_count(void **state)
{
	struct irqplan_offer o = {.msix_max = 3, .msi_max = 8, .intx_pin = 1};
	assert_int_equal(irqplan_count(&o, IRQPLAN_MSIX, 1), 1);
	assert_int_equal(irqplan_count(&o, IRQPLAN_MSIX, 4), 3); /* table of 3: 3 */
	assert_int_equal(irqplan_count(&o, IRQPLAN_MSIX, 3), 3); /* not a power of two */
	assert_int_equal(irqplan_count(&o, IRQPLAN_MSI, 32), 8);
	assert_int_equal(irqplan_count(&o, IRQPLAN_MSI, 7), 4);
	assert_int_equal(irqplan_count(&o, IRQPLAN_INTX, 9), 1);
	assert_int_equal(irqplan_count(&o, IRQPLAN_POLL, 9), 0);
	struct irqplan_offer none = {.msix_max = 0, .msi_max = 0, .intx_pin = 5};
	assert_int_equal(irqplan_count(&none, IRQPLAN_MSIX, 1), 0);
	assert_int_equal(irqplan_count(&none, IRQPLAN_MSI, 1), 0);
	assert_int_equal(irqplan_count(&none, IRQPLAN_INTX, 1), 0); /* pin 5 is no pin */
	struct irqplan_offer big = {.msix_max = 2048};
	assert_int_equal(irqplan_count(&big, IRQPLAN_MSIX, 32), 32);
}

/* What the planner should reach: the first mode at or after `first` that
   is offered and does not fail; the failures it passes on the way. */
static enum irqplan_mode expect(const struct irqplan_offer *o, enum irqplan_mode first,
				enum irqplan_mode fail_mode, enum step fail_step,
				unsigned *failures)
{
	*failures = 0;
	for (enum irqplan_mode m = first; m < IRQPLAN_POLL; m++) {
		if (irqplan_count(o, m, 4) == 0)
			continue;
		bool fails = (m != IRQPLAN_INTX && o->fail_msi) ||
			     (fail_step != S_NONE && fail_mode == m &&
			      (fail_step != S_ROUTE || m == IRQPLAN_INTX));
		if (!fails)
			return m;
		(*failures)++;
	}
	return IRQPLAN_POLL;
}

static void run_case(const struct irqplan_offer *o, enum irqplan_mode first,
		     enum irqplan_mode fail_mode, enum step fail_step)
{
	struct fake f = {.fail_mode = fail_mode, .fail_step = fail_step};
	struct irqplan_req req = {.first = first, .n = 4};
	struct irqplan_result r;
	memset(&r, 0xa5, sizeof r);
	irqplan_run(o, &req, &OPS, &f, &r);
	unsigned failures;
	enum irqplan_mode want = expect(o, first, fail_mode, fail_step, &failures);
	assert_int_equal(r.mode, want);
	assert_int_equal(f.nlog, failures);
	/* Consistent: exactly the reached mode holds an allocation and was
	   programmed; every failed one gave its allocation back. */
	assert_int_equal(f.live, want == IRQPLAN_POLL ? 0 : 1);
	assert_int_equal(f.programmed, want == IRQPLAN_POLL ? 0 : 1);
	assert_int_equal(r.n, irqplan_count(o, want, 4));
	if (want == IRQPLAN_INTX) {
		assert_int_equal(r.route.gsi, 16);
		assert_true(r.route.level && r.route.low);
	}
	for (unsigned i = 0; i < f.nlog; i++) {
		assert_true(f.logged[i] >= first && f.logged[i] < want);
		if (i > 0)
			assert_true(f.logged[i] > f.logged[i - 1]); /* one line per mode */
	}
}

static void test_every_failure(void **state)
{
	/* Offers: everything, MSI only (edu), INTx only (e1000), nothing. */
	const struct irqplan_offer offers[] = {
	    {.msix_max = 8, .msi_max = 4, .intx_pin = 1},
	    {.msix_max = 0, .msi_max = 1, .intx_pin = 1},
	    {.msix_max = 0, .msi_max = 0, .intx_pin = 4},
	    {.msix_max = 2, .msi_max = 0, .intx_pin = 0},
	    {0},
	};
	for (unsigned oi = 0; oi < sizeof offers / sizeof offers[0]; oi++)
		for (int inject = 0; inject < 2; inject++)
			for (enum irqplan_mode first = IRQPLAN_MSIX; first <= IRQPLAN_POLL; first++)
				for (enum irqplan_mode fm = IRQPLAN_MSIX; fm < IRQPLAN_POLL; fm++)
					for (enum step s = S_NONE; s <= S_PROGRAM; s++) {
						struct irqplan_offer o = offers[oi];
						o.fail_msi = inject;
						run_case(&o, first, fm, s);
					}
}

static void test_fault_injection(void **state)
{
	/* edu-like: MSI and INTx; with fail_msi it gets INTx, and the log
	   names MSI's injected failure. MSI-X never reached alloc. */
	struct irqplan_offer o = {.msix_max = 0, .msi_max = 1, .intx_pin = 1, .fail_msi = true};
	struct fake f = {.fail_step = S_NONE};
	struct irqplan_req req = {.first = IRQPLAN_MSIX, .n = 1};
	struct irqplan_result r;
	irqplan_run(&o, &req, &OPS, &f, &r);
	assert_int_equal(r.mode, IRQPLAN_INTX);
	assert_int_equal(f.nlog, 1);
	assert_int_equal(f.logged[0], IRQPLAN_MSI);
	assert_non_null(strstr(f.steps[0], "fault injection"));
	assert_int_equal(f.alloc_n[IRQPLAN_MSI], 0); /* never asked irq: */
	assert_int_equal(f.alloc_n[IRQPLAN_INTX], 1);
}

static void test_format(void **state)
{
	char b[64];
	struct irqplan_result r = {.mode = IRQPLAN_MSIX, .n = 4};
	assert_int_equal(irqplan_format(&r, b, sizeof b), 7);
	assert_string_equal(b, "msix 4\n");
	r = (struct irqplan_result){.mode = IRQPLAN_MSI, .n = 1};
	assert_int_equal(irqplan_format(&r, b, sizeof b), 6);
	assert_string_equal(b, "msi 1\n");
	r = (struct irqplan_result){.mode = IRQPLAN_INTX, .n = 1, .route = {11, true, false}};
	assert_true(irqplan_format(&r, b, sizeof b) > 0);
	assert_string_equal(b, "intx 11 level high\n");
	r = (struct irqplan_result){.mode = IRQPLAN_POLL};
	assert_int_equal(irqplan_format(&r, b, sizeof b), 5);
	assert_string_equal(b, "poll\n");
	assert_int_equal(irqplan_format(&r, b, 5), -E_RANGE);
	/* An answer parses back as the route it carries. */
	struct irqplan_route rt;
	assert_int_equal(irqplan_parse_route("11 level high\n", 14, &rt), 0);
	assert_int_equal(rt.gsi, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_req),	  cmocka_unit_test(test_parse_route),
	    cmocka_unit_test(test_vector_path),	  cmocka_unit_test(test_count),
	    cmocka_unit_test(test_every_failure), cmocka_unit_test(test_fault_injection),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
