/*
 * numa.c - builds struct numa_topo from SRAT/SLIT-derived arrays and formats
 * its log lines. See numa.h for the rules. Pure, no locking; the quadratic
 * lookups are bounded by MAX_CPUS x nsrat and run once at boot.
 */
#include "base/err.h"
#include "fmt/fmt.h"
#include "smp/numa.h"

/* Reset *t to one node (domain 0) holding CPUs 0..ncpus-1. */
static void numa_single(struct numa_topo *t, unsigned ncpus)
{
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	t->nnodes = 1;
	t->ncpus = ncpus;
	t->node_domain[0] = 0;
	for (unsigned i = 0; i < MAX_NUMA_NODES; i++)
		cpumask_zero(&t->node_cpus[i]);
	cpumask_fill(&t->node_cpus[0], ncpus);
	for (unsigned i = 0; i < MAX_CPUS; i++)
		t->cpu_node[i] = 0;
	for (unsigned i = 0; i < MAX_NUMA_NODES; i++)
		for (unsigned j = 0; j < MAX_NUMA_NODES; j++)
			t->dist[i][j] = i == j ? NUMA_LOCAL_DISTANCE : NUMA_REMOTE_DISTANCE;
	t->cpus_without_domain = 0;
	t->slit_used = false;
	t->slit_ignored = false;
}

/* Insert domain d into the ascending list t->node_domain; -E_RANGE if full. */
static int numa_add_domain(struct numa_topo *t, uint32_t d)
{
	unsigned i = 0;
	while (i < t->nnodes && t->node_domain[i] < d)
		i++;
	if (i < t->nnodes && t->node_domain[i] == d)
		return 0;
	if (t->nnodes == MAX_NUMA_NODES)
		return -E_RANGE;
	for (unsigned k = t->nnodes; k > i; k--)
		t->node_domain[k] = t->node_domain[k - 1];
	t->node_domain[i] = d;
	t->nnodes++;
	return 0;
}

/* Node whose domain is d (it exists: every SRAT domain was added). */
static unsigned numa_node_of_domain(const struct numa_topo *t, uint32_t d)
{
	unsigned lo = 0, hi = t->nnodes;
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;
		if (t->node_domain[mid] <= d)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Domain of the CPU with APIC id apic: 0 found, 1 absent, -E_INVAL if the
 * SRAT lists it twice with different domains. */
static int numa_lookup(const struct numa_input *in, uint32_t apic, uint32_t *domain)
{
	bool found = false;
	for (size_t i = 0; i < in->nsrat; i++) {
		if (in->srat[i].apic_id != apic)
			continue;
		if (found && in->srat[i].domain != *domain)
			return -E_INVAL;
		*domain = in->srat[i].domain;
		found = true;
	}
	return found ? 0 : 1;
}

/* Copy SLIT distances for our nodes if the SLIT covers and is valid. */
static void numa_apply_slit(const struct numa_input *in, struct numa_topo *t)
{
	uint64_t n = in->slit_n;
	if (in->slit == NULL || n == 0)
		return;
	for (unsigned a = 0; a < t->nnodes; a++) {
		if (t->node_domain[a] >= n)
			goto ignore;
		for (unsigned b = 0; b < t->nnodes; b++) {
			uint8_t d = in->slit[t->node_domain[a] * n + t->node_domain[b]];
			if (a == b ? d != NUMA_LOCAL_DISTANCE : d <= NUMA_LOCAL_DISTANCE)
				goto ignore;
		}
	}
	for (unsigned a = 0; a < t->nnodes; a++)
		for (unsigned b = 0; b < t->nnodes; b++)
			t->dist[a][b] = in->slit[t->node_domain[a] * n + t->node_domain[b]];
	t->slit_used = true;
	return;
ignore:
	t->slit_ignored = true;
}

int numa_build(const struct numa_input *in, struct numa_topo *out)
{
	int r = 0;

	numa_single(out, in->ncpus);
	if (in->ncpus > MAX_CPUS)
		return -E_RANGE;
	if (in->ncpus && in->cpu_apic == NULL)
		return -E_INVAL;
	if (in->srat == NULL || in->nsrat == 0) {
		numa_apply_slit(in, out);
		return 0;
	}

	out->nnodes = 0;
	for (size_t i = 0; i < in->nsrat; i++) {
		r = numa_add_domain(out, in->srat[i].domain);
		if (r)
			goto out_fallback;
	}
	cpumask_zero(&out->node_cpus[0]);
	for (unsigned cpu = 0; cpu < in->ncpus; cpu++) {
		uint32_t dom = 0;
		unsigned node = 0;
		r = numa_lookup(in, in->cpu_apic[cpu], &dom);
		if (r < 0)
			goto out_fallback;
		if (r == 0)
			node = numa_node_of_domain(out, dom);
		else
			out->cpus_without_domain++;
		out->cpu_node[cpu] = (uint8_t)node;
		cpumask_set(&out->node_cpus[node], cpu);
	}
	numa_apply_slit(in, out);
	return 0;

out_fallback:
	numa_single(out, in->ncpus);
	return r;
}

unsigned numa_cpu_node(const struct numa_topo *t, unsigned cpu)
{
	return cpu < MAX_CPUS ? t->cpu_node[cpu] : 0;
}

unsigned numa_distance(const struct numa_topo *t, unsigned a, unsigned b)
{
	if (a >= t->nnodes || b >= t->nnodes)
		return NUMA_UNREACHABLE;
	return t->dist[a][b];
}

/* 0 if fmt_snprintf's result r fit in n bytes, else -E_NOSPC. */
static int numa_fit(int r, size_t n)
{
	return r < 0 || (size_t)r >= n ? -E_NOSPC : 0;
}

int numa_format_summary(const struct numa_topo *t, char *buf, size_t n)
{
	return numa_fit(fmt_snprintf(buf, n, "numa: %u nodes", t->nnodes), n);
}

int numa_format_node(const struct numa_topo *t, unsigned node, char *buf, size_t n)
{
	if (node >= t->nnodes)
		return -E_INVAL;
	int r = fmt_snprintf(buf, n, "numa: node %u cpus ", node);
	if (numa_fit(r, n))
		return -E_NOSPC;
	return cpumask_format(&t->node_cpus[node], buf + r, n - (size_t)r);
}

int numa_format_dist_header(char *buf, size_t n)
{
	return numa_fit(fmt_snprintf(buf, n, "numa: distances"), n);
}

int numa_format_dist_row(const struct numa_topo *t, unsigned node, char *buf, size_t n)
{
	if (node >= t->nnodes)
		return -E_INVAL;
	int r = fmt_snprintf(buf, n, "numa:   %u:", node);
	if (numa_fit(r, n))
		return -E_NOSPC;
	size_t len = (size_t)r;
	for (unsigned j = 0; j < t->nnodes; j++) {
		r = fmt_snprintf(buf + len, n - len, " %u", t->dist[node][j]);
		if (numa_fit(r, n - len))
			return -E_NOSPC;
		len += (size_t)r;
	}
	return 0;
}
