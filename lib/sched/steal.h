/*
 * steal.h - where an idle CPU looks for work, and what it may take.
 *
 * steal_order lists the CPUs an idle CPU should try, nearest first: the
 * other online CPUs of its own NUMA node, then the CPUs of other nodes by
 * increasing SLIT distance from its node, ties broken by node id, and within
 * a node by ascending CPU id. The kernel computes the list once per CPU when
 * the online mask or the topology changes and walks it when idle.
 *
 * runq_steal takes one waiting entity from a victim queue, never the
 * victim's current entity and only one whose CPU mask allows the thief: a
 * real-time entity first (the most urgent level, the head of its list
 * first), since an RT thread queued behind a FIFO hog would otherwise wait
 * while CPUs idle; else the first fair entity in vruntime order (the one
 * that has waited longest for its share). The
 * entity leaves the victim with its vruntime made relative (runq_detach);
 * the kernel enqueues it on the thief with runq_enqueue.
 *
 * Locking: steal_order is pure. runq_steal needs the victim's queue lock;
 * the thief's lock is needed only for the following runq_enqueue.
 */
#pragma once
#include "base/compiler.h"
#include "sched/runq.h"
#include "smp/cpumask.h"
#include "smp/numa.h"

/*
 * Fill order[0..) with the online CPUs other than self, nearest first (see
 * above). Returns how many were written, -E_INVAL when self >= MAX_CPUS, or
 * -E_NOSPC when more than cap CPUs qualify (order then holds the nearest cap).
 */
int steal_order(const struct numa_topo *topo, unsigned self, const struct cpumask *online,
		unsigned *order, unsigned cap) MUST_CHECK;
/* Take a waiting (RT first, then fair) entity allowed on thief_cpu off victim, or NULL. */
struct sched_entity *runq_steal(struct runq *victim, unsigned thief_cpu);
