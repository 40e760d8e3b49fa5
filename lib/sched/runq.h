/*
 * runq.h - the per-CPU run queue: a real-time class and a weighted fair
 * class, as pure policy. The kernel adds the lock, the tick and the switch.
 *
 * Entities. struct sched_entity is embedded in the kernel's thread struct;
 * the run queue never allocates. Its priority uses the scale of prio.h: 40..49
 * is the real-time class (FIFO or round-robin, level 9 most urgent), 0..39 the
 * fair class (prio = 19 - nice). sched_entity_init sets policy and priority;
 * runq_set_prio changes the priority later (nice, RT level, or a priority
 * inheritance boost), also while queued. A fair-policy entity boosted to an
 * RT priority runs as FIFO at that level.
 *
 * Queue membership. An entity is on the queue from runq_enqueue until
 * runq_dequeue or runq_steal; runq_nr_running counts them all, including the
 * one running. runq_pick chooses what runs next and makes it the queue's
 * current entity (rq->curr); the current entity stays on the queue until the
 * kernel dequeues it (it blocks, exits or migrates).
 *
 * Real-time class: one FIFO list per level and a bitmap of non-empty levels,
 * so picking is O(1). FIFO entities run until they block, yield or are
 * preempted by a higher level; round-robin entities also go to the tail of
 * their level after rr_slice_ns of running. A preempted entity keeps its
 * place at the head of its level.
 *
 * Fair class: entities sit in a red-black tree by virtual runtime (vruntime,
 * real time scaled by 1024 / weight, see weight.h); the smallest runs next,
 * O(log n). The running entity's slice is
 *   period * weight / total fair weight,
 *   period = max(latency_ns, nr_fair * min_granularity_ns),
 * so every runnable fair entity runs once per preemption interval
 * (latency_ns) while few are runnable. runq_tick asks for preemption when the
 * slice is used up and someone else is waiting.
 *
 * Sleep credit. min_vruntime follows the smallest vruntime on the queue and
 * never goes back. An entity that wakes is placed at
 *   max(its vruntime, min_vruntime - wake_bonus_ns),
 * so a long sleep earns at most wake_bonus_ns of head start. A new entity
 * starts at min_vruntime. An entity moved between queues (runq_steal,
 * runq_detach, runq_forget for a sleeper) keeps its vruntime relative to the old queue's
 * min_vruntime.
 *
 * Real-time throttling. RT entities may use rt_runtime_ns of every
 * rt_period_ns on this CPU (default 950 ms of 1 s). When that budget is used
 * up, runq_pick prefers fair entities until the period rolls over; periods
 * are aligned to the first time the queue saw (runq_init's now). If no fair
 * entity is runnable, a throttled RT entity still runs (the CPU would
 * otherwise idle). rt_runtime_ns >= rt_period_ns disables throttling.
 *
 * Locking: none inside. The kernel holds the queue's lock around every call
 * that takes that queue, and both queues' locks (or the victim's, with the
 * entity then handed to the thief under the thief's lock) when stealing.
 * Time `now` is monotonic nanoseconds and must never go backwards per queue.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "sched/prio.h"
#include "sched/rbtree.h"
#include "smp/cpumask.h"

enum sched_policy {
	SCHED_POLICY_FAIR = 0, /* weighted fair, prio 0..39 */
	SCHED_POLICY_FIFO = 1, /* real-time, prio 40..49, no time slice */
	SCHED_POLICY_RR = 2,   /* real-time, prio 40..49, rr_slice_ns slices */
};

/* How se->vruntime is to be read when the entity is next enqueued. */
enum sched_vr_state {
	SCHED_VR_NEW = 0, /* never queued: start at min_vruntime */
	SCHED_VR_ABS = 1, /* absolute on the last queue (after a sleep) */
	SCHED_VR_REL = 2, /* relative to the last queue's min_vruntime */
};

struct sched_entity {
	/* Set by sched_entity_init / runq_set_prio; read-only to the kernel. */
	enum sched_policy policy;
	int prio;	     /* effective priority, prio.h scale */
	uint32_t weight;     /* fair weight of prio (fair priorities only) */
	uint32_t inv_weight; /* 2^32 / weight */
	/* Set by the kernel (under the queue lock when queued). */
	struct cpumask allowed; /* CPUs this entity may run on */
	/* Owned by the run queue. */
	uint64_t vruntime;    /* virtual runtime, ns scaled by 1024 / weight */
	uint64_t sum_runtime; /* real ns run in total */
	uint64_t slice_start; /* sum_runtime when last picked */
	uint64_t exec_start;  /* now at the last accounting while current */
	uint64_t rr_left;     /* RR: ns left of the current slice */
	enum sched_vr_state vr_state;
	bool on_rq;
	struct rbt_node fair_node;		/* fair class: tree link */
	struct sched_entity *rt_next, *rt_prev; /* RT class: level list */
};

struct sched_config {
	uint64_t latency_ns;	     /* preemption interval (fair period) */
	uint64_t min_granularity_ns; /* shortest fair slice */
	uint64_t wake_bonus_ns;	     /* most vruntime credit a sleeper gets */
	uint64_t wakeup_gran_ns;     /* vruntime lead a waker needs to preempt */
	uint64_t rr_slice_ns;	     /* round-robin slice */
	uint64_t rt_runtime_ns;	     /* RT budget per period */
	uint64_t rt_period_ns;	     /* RT throttling period */
};

/* Defaults: 6 ms latency, 0.75 ms granularity, 3 ms bonus, 1 ms wakeup
 * granularity, 100 ms RR slice, 950 ms RT runtime per 1 s period. */
#define SCHED_CONFIG_DEFAULT                                                                       \
	((struct sched_config){                                                                    \
	    .latency_ns = 6000000,                                                                 \
	    .min_granularity_ns = 750000,                                                          \
	    .wake_bonus_ns = 3000000,                                                              \
	    .wakeup_gran_ns = 1000000,                                                             \
	    .rr_slice_ns = 100000000,                                                              \
	    .rt_runtime_ns = 950000000,                                                            \
	    .rt_period_ns = 1000000000,                                                            \
	})

struct rt_level {
	struct sched_entity *head; /* circular list through rt_next/rt_prev */
};

struct runq {
	struct sched_config cfg;
	struct sched_entity *curr; /* what runq_pick last returned, if queued */
	unsigned nr_running;	   /* all queued entities, current included */
	unsigned nr_rt;
	unsigned nr_fair;
	uint64_t fair_weight; /* sum of queued fair weights */
	uint64_t min_vruntime;
	struct rbt fair;
	uint32_t rt_bitmap; /* bit l: level l is not empty */
	struct rt_level rt[SCHED_RT_LEVELS];
	uint64_t rt_period_start;
	uint64_t rt_used; /* RT ns used in the current period */
};

/*
 * Set up se with a policy and priority: 0, or -E_INVAL when prio does not
 * fit the policy's class. The CPU mask starts empty (the kernel fills it).
 */
int sched_entity_init(struct sched_entity *se, enum sched_policy policy, int prio) MUST_CHECK;
/* Check cfg: 0, or -E_INVAL (a zero period, latency or slice). */
int sched_config_check(const struct sched_config *cfg) MUST_CHECK;
/* Set up an empty queue with configuration cfg (checked); now starts the
 * first RT period. 0 or -E_INVAL. */
int runq_init(struct runq *rq, const struct sched_config *cfg, uint64_t now) MUST_CHECK;
/* se (not queued anywhere) becomes runnable on rq, placed as described. */
void runq_enqueue(struct runq *rq, struct sched_entity *se, uint64_t now);
/* se (queued on rq) leaves it; if it is current, rq->curr becomes NULL.
 * Call runq_update first to charge the current entity's last ns. */
void runq_dequeue(struct runq *rq, struct sched_entity *se);
/* Like runq_dequeue, and keep se's vruntime relative for another queue. */
void runq_detach(struct runq *rq, struct sched_entity *se);
/* se, which left rq asleep (runq_dequeue), will wake on another queue: its vruntime becomes
   relative to rq's min_vruntime now, as runq_detach makes it. */
void runq_forget(struct runq *rq, struct sched_entity *se);
/* Charge the current entity for the time since it was last accounted. */
void runq_update(struct runq *rq, uint64_t now);
/* Choose the next entity and make it current (NULL: nothing runnable). */
struct sched_entity *runq_pick(struct runq *rq, uint64_t now);
/* Timer tick for the running entity se: charge it, and say whether the
 * kernel should call runq_pick now (slice over, throttled, or a higher class
 * waiting). False when se is not rq->curr. */
bool runq_tick(struct runq *rq, struct sched_entity *se, uint64_t now);
/* Whether se, just enqueued on rq, should preempt rq->curr. */
bool runq_wakeup_preempt(struct runq *rq, const struct sched_entity *se, uint64_t now);
/* The current entity gives up the CPU: RT goes to the tail of its level, fair
 * is charged to the largest vruntime queued. Call runq_pick afterwards. */
void runq_yield(struct runq *rq, uint64_t now);
/* Change se's priority (and class, if it crosses 40) to prio: 0, or
 * -E_INVAL when prio is off the scale or an RT policy gets a fair prio. */
int runq_set_prio(struct runq *rq, struct sched_entity *se, int prio, uint64_t now) MUST_CHECK;
/* Entities on the queue, the current one included. */
unsigned runq_nr_running(const struct runq *rq);
/* Whether RT entities are throttled at time now (updates the period). */
bool runq_rt_throttled(struct runq *rq, uint64_t now);
/* When the current RT period ends (the kernel may arm a timer for it). */
uint64_t runq_rt_period_end(const struct runq *rq);
/* The fair slice of se on rq in ns, as used by runq_tick. */
uint64_t runq_fair_slice(const struct runq *rq, const struct sched_entity *se);
