/*
 * steal.c - work-stealing order and victim selection (see steal.h).
 *
 * steal_order sorts the nodes (at most MAX_NUMA_NODES) by (own node first,
 * distance, node id) with an insertion sort, then emits each node's online
 * CPUs in ascending order: O(nodes^2 + nodes * MAX_CPUS / 64 words), done
 * rarely. runq_steal walks the victim's fair tree in order. No locking
 * inside; see steal.h for the locks the caller holds. runq_steal looks at
 * the RT levels first, most urgent first, then the fair tree.
 */
#include "sched/steal.h"
#include "base/err.h"

/* Whether node a should be tried before node b, seen from node home. */
static bool node_before(const struct numa_topo *topo, unsigned home, unsigned a, unsigned b)
{
	if (a == home || b == home)
		return a == home && b != home;
	unsigned da = numa_distance(topo, home, a), db = numa_distance(topo, home, b);
	if (da != db)
		return da < db;
	return a < b;
}

int steal_order(const struct numa_topo *topo, unsigned self, const struct cpumask *online,
		unsigned *order, unsigned cap)
{
	unsigned nodes[MAX_NUMA_NODES];
	unsigned nnodes = topo->nnodes, n = 0, cpu;
	int err = 0;

	if (self >= MAX_CPUS || nnodes == 0 || nnodes > MAX_NUMA_NODES)
		return -E_INVAL;
	unsigned home = numa_cpu_node(topo, self);
	for (unsigned i = 0; i < nnodes; i++) {
		unsigned j = i;
		while (j > 0 && node_before(topo, home, i, nodes[j - 1])) {
			nodes[j] = nodes[j - 1];
			j--;
		}
		nodes[j] = i;
	}
	for (unsigned i = 0; i < nnodes; i++) {
		cpumask_for_each(cpu, online)
		{
			if (cpu == self || numa_cpu_node(topo, cpu) != nodes[i])
				continue;
			if (n == cap) {
				err = -E_NOSPC;
				continue;
			}
			order[n++] = cpu;
		}
	}
	return err ? err : (int)n;
}

/* The most urgent waiting RT entity allowed on thief_cpu, or NULL. */
static struct sched_entity *rt_candidate(struct runq *victim, unsigned thief_cpu)
{
	for (int level = SCHED_RT_LEVELS - 1; level >= 0; level--) {
		struct sched_entity *h = victim->rt[level].head, *se = h;
		if (!(victim->rt_bitmap & (1u << level)) || !h)
			continue;
		do {
			if (se != victim->curr && cpumask_test(&se->allowed, thief_cpu))
				return se;
			se = se->rt_next;
		} while (se != h);
	}
	return NULL;
}

struct sched_entity *runq_steal(struct runq *victim, unsigned thief_cpu)
{
	struct sched_entity *se = rt_candidate(victim, thief_cpu);
	if (se) {
		runq_detach(victim, se);
		return se;
	}
	for (struct rbt_node *n = rbt_first(&victim->fair); n; n = rbt_next(n)) {
		se = rbt_entry(n, struct sched_entity, fair_node);
		if (se == victim->curr || !cpumask_test(&se->allowed, thief_cpu))
			continue;
		runq_detach(victim, se);
		return se;
	}
	return NULL;
}
