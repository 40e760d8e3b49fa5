/*
 * runq.c - per-CPU run queue policy: real-time levels, the fair tree, RT
 * throttling (see runq.h for the rules and the calling contract).
 *
 * Invariants while an entity is on the queue: an RT-priority entity is in
 * the list of its level (the current one at the head unless it rotated), a
 * fair-priority entity is in the tree, the current one included; its key
 * (vruntime) changes only while it is out of the tree. nr_running = nr_rt +
 * nr_fair. Virtual times are compared by signed difference so that the
 * order survives wrap-around. No locking: the caller holds the queue lock.
 */
#include "sched/runq.h"
#include "base/err.h"
#include "sched/weight.h"

static bool vr_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static bool se_rt(const struct sched_entity *se)
{
	return sched_prio_is_rt(se->prio);
}

static struct sched_entity *fair_entry(const struct rbt_node *n)
{
	return n ? rbt_entry(n, struct sched_entity, fair_node) : NULL;
}

static bool fair_less(const struct rbt_node *a, const struct rbt_node *b)
{
	return vr_before(fair_entry(a)->vruntime, fair_entry(b)->vruntime);
}

/* Weight and inverse weight follow a fair priority. */
static void set_prio_fields(struct sched_entity *se, int prio)
{
	se->prio = prio;
	if (!sched_prio_is_rt(prio)) {
		se->weight = sched_weight(sched_prio_nice(prio));
		se->inv_weight = sched_inv_weight(sched_prio_nice(prio));
	}
}

int sched_entity_init(struct sched_entity *se, enum sched_policy policy, int prio)
{
	bool rt = policy == SCHED_POLICY_FIFO || policy == SCHED_POLICY_RR;

	if (policy != SCHED_POLICY_FAIR && !rt)
		return -E_INVAL;
	if (!sched_prio_valid(prio) || sched_prio_is_rt(prio) != rt)
		return -E_INVAL;
	*se = (struct sched_entity){0};
	se->policy = policy;
	se->vr_state = SCHED_VR_NEW;
	set_prio_fields(se, prio);
	/* A fair entity boosted to RT later still needs a weight to return to. */
	if (rt) {
		se->weight = SCHED_WEIGHT_NICE0;
		se->inv_weight = sched_inv_weight(0);
	}
	return 0;
}

int sched_config_check(const struct sched_config *cfg)
{
	if (!cfg->latency_ns || !cfg->min_granularity_ns || !cfg->rr_slice_ns || !cfg->rt_period_ns)
		return -E_INVAL;
	/* Keeps period * weight (weight < 2^17) far below 2^64. */
	if (cfg->latency_ns > (1ull << 40) || cfg->min_granularity_ns > cfg->latency_ns)
		return -E_INVAL;
	return 0;
}

int runq_init(struct runq *rq, const struct sched_config *cfg, uint64_t now)
{
	int err = sched_config_check(cfg);

	if (err)
		return err;
	*rq = (struct runq){0};
	rq->cfg = *cfg;
	rbt_init(&rq->fair);
	rq->rt_period_start = now;
	return 0;
}

/* ---- the two class structures ---- */

static void rt_link(struct runq *rq, struct sched_entity *se, bool at_head)
{
	struct rt_level *lv = &rq->rt[sched_prio_rt_level(se->prio)];
	struct sched_entity *h = lv->head;

	if (!h) {
		se->rt_next = se->rt_prev = se;
		lv->head = se;
	} else {
		/* Tail of a circular list = just before the head. */
		se->rt_next = h;
		se->rt_prev = h->rt_prev;
		h->rt_prev->rt_next = se;
		h->rt_prev = se;
		if (at_head)
			lv->head = se;
	}
	rq->rt_bitmap |= 1u << sched_prio_rt_level(se->prio);
}

static void rt_unlink(struct runq *rq, struct sched_entity *se)
{
	unsigned level = (unsigned)sched_prio_rt_level(se->prio);
	struct rt_level *lv = &rq->rt[level];

	if (se->rt_next == se) {
		lv->head = NULL;
		rq->rt_bitmap &= ~(1u << level);
	} else {
		se->rt_prev->rt_next = se->rt_next;
		se->rt_next->rt_prev = se->rt_prev;
		if (lv->head == se)
			lv->head = se->rt_next;
	}
	se->rt_next = se->rt_prev = NULL;
}

/* Put se (on_rq) into the structure of its class. */
static void q_insert(struct runq *rq, struct sched_entity *se, bool at_head)
{
	if (se_rt(se)) {
		rt_link(rq, se, at_head);
		rq->nr_rt++;
	} else {
		rbt_insert(&rq->fair, &se->fair_node, fair_less);
		rq->nr_fair++;
		rq->fair_weight += se->weight;
	}
}

/* Take se out of the structure of its class (it stays on_rq). */
static void q_remove(struct runq *rq, struct sched_entity *se)
{
	if (se_rt(se)) {
		rt_unlink(rq, se);
		rq->nr_rt--;
	} else {
		rbt_remove(&rq->fair, &se->fair_node);
		rq->nr_fair--;
		rq->fair_weight -= se->weight;
	}
}

static void update_min_vruntime(struct runq *rq)
{
	struct sched_entity *first = fair_entry(rbt_first(&rq->fair));

	if (first && vr_before(rq->min_vruntime, first->vruntime))
		rq->min_vruntime = first->vruntime;
}

/* Lowest vruntime a (re)entering fair entity may have. */
static void place_floor(struct runq *rq, struct sched_entity *se)
{
	uint64_t floor = rq->min_vruntime - rq->cfg.wake_bonus_ns;

	if (vr_before(se->vruntime, floor))
		se->vruntime = floor;
}

/* ---- RT throttling ---- */

static bool rt_throttling_on(const struct runq *rq)
{
	return rq->cfg.rt_runtime_ns < rq->cfg.rt_period_ns;
}

static void rt_refresh(struct runq *rq, uint64_t now)
{
	uint64_t p = rq->cfg.rt_period_ns;

	if (now - rq->rt_period_start >= p && (int64_t)(now - rq->rt_period_start) > 0) {
		rq->rt_period_start += (now - rq->rt_period_start) / p * p;
		rq->rt_used = 0;
	}
}

static bool rt_over_budget(const struct runq *rq)
{
	return rt_throttling_on(rq) && rq->rt_used >= rq->cfg.rt_runtime_ns;
}

bool runq_rt_throttled(struct runq *rq, uint64_t now)
{
	rt_refresh(rq, now);
	return rt_over_budget(rq);
}

uint64_t runq_rt_period_end(const struct runq *rq)
{
	return rq->rt_period_start + rq->cfg.rt_period_ns;
}

/* RT entities may run now: not throttled, or nothing fair to run instead. */
static bool rt_allowed(struct runq *rq, uint64_t now)
{
	rt_refresh(rq, now);
	return !rt_over_budget(rq) || rq->nr_fair == 0;
}

static unsigned rt_top_level(const struct runq *rq)
{
	return 31u - (unsigned)__builtin_clz(rq->rt_bitmap);
}

/* ---- accounting ---- */

void runq_update(struct runq *rq, uint64_t now)
{
	struct sched_entity *se = rq->curr;

	if (!se)
		return;
	uint64_t delta = (int64_t)(now - se->exec_start) > 0 ? now - se->exec_start : 0;
	se->exec_start = now;
	se->sum_runtime += delta;
	rt_refresh(rq, now);
	if (se_rt(se)) {
		rq->rt_used += delta;
		if (se->policy == SCHED_POLICY_RR)
			se->rr_left -= delta < se->rr_left ? delta : se->rr_left;
		return;
	}
	rbt_remove(&rq->fair, &se->fair_node);
	se->vruntime += sched_vdelta(delta, se->inv_weight);
	rbt_insert(&rq->fair, &se->fair_node, fair_less);
	update_min_vruntime(rq);
}

uint64_t runq_fair_slice(const struct runq *rq, const struct sched_entity *se)
{
	uint64_t nr = rq->nr_fair ? rq->nr_fair : 1;
	uint64_t period = rq->cfg.latency_ns;
	uint64_t total = rq->fair_weight ? rq->fair_weight : se->weight;

	if (nr > period / rq->cfg.min_granularity_ns)
		period = nr * rq->cfg.min_granularity_ns;
	if (period > UINT64_MAX / se->weight)
		return period / total * se->weight;
	return period * se->weight / total;
}

/* ---- queue membership ---- */

void runq_enqueue(struct runq *rq, struct sched_entity *se, uint64_t now)
{
	runq_update(rq, now);
	switch (se->vr_state) {
	case SCHED_VR_NEW:
		se->vruntime = rq->min_vruntime;
		break;
	case SCHED_VR_REL:
		se->vruntime += rq->min_vruntime;
		place_floor(rq, se);
		break;
	case SCHED_VR_ABS:
		place_floor(rq, se);
		break;
	}
	se->vr_state = SCHED_VR_ABS;
	if (se->policy == SCHED_POLICY_RR && se->rr_left == 0)
		se->rr_left = rq->cfg.rr_slice_ns;
	se->on_rq = true;
	q_insert(rq, se, false);
	rq->nr_running++;
	update_min_vruntime(rq);
}

void runq_dequeue(struct runq *rq, struct sched_entity *se)
{
	q_remove(rq, se);
	se->on_rq = false;
	rq->nr_running--;
	if (rq->curr == se)
		rq->curr = NULL;
	update_min_vruntime(rq);
}

void runq_detach(struct runq *rq, struct sched_entity *se)
{
	runq_dequeue(rq, se);
	se->vruntime -= rq->min_vruntime;
	se->vr_state = SCHED_VR_REL;
}

void runq_forget(struct runq *rq, struct sched_entity *se)
{
	if (se->vr_state == SCHED_VR_ABS) {
		se->vruntime -= rq->min_vruntime;
		se->vr_state = SCHED_VR_REL;
	}
}

unsigned runq_nr_running(const struct runq *rq)
{
	return rq->nr_running;
}

/* ---- choosing ---- */

struct sched_entity *runq_pick(struct runq *rq, uint64_t now)
{
	struct sched_entity *se = NULL;

	runq_update(rq, now);
	if (rq->nr_rt && rt_allowed(rq, now))
		se = rq->rt[rt_top_level(rq)].head;
	else if (rq->nr_fair)
		se = fair_entry(rbt_first(&rq->fair));
	rq->curr = se;
	if (se) {
		se->exec_start = now;
		se->slice_start = se->sum_runtime;
		if (se->policy == SCHED_POLICY_RR && se->rr_left == 0)
			se->rr_left = rq->cfg.rr_slice_ns;
	}
	return se;
}

bool runq_tick(struct runq *rq, struct sched_entity *se, uint64_t now)
{
	if (!se || se != rq->curr)
		return false;
	runq_update(rq, now);
	if (se_rt(se)) {
		bool resched = false;
		/* Rotate first, so a slice ending as the budget runs out still
		 * sends the entity to the tail of its level. */
		if (se->policy == SCHED_POLICY_RR && se->rr_left == 0) {
			se->rr_left = rq->cfg.rr_slice_ns;
			if (se->rt_next != se) { /* alone at its level: keep running */
				rt_unlink(rq, se);
				rt_link(rq, se, false);
				resched = true;
			}
		}
		if (rt_over_budget(rq) && rq->nr_fair)
			resched = true;
		if (rt_top_level(rq) > (unsigned)sched_prio_rt_level(se->prio))
			resched = true;
		return resched;
	}
	if (rq->nr_rt && !rt_over_budget(rq))
		return true;
	return rq->nr_fair > 1 && se->sum_runtime - se->slice_start >= runq_fair_slice(rq, se);
}

bool runq_wakeup_preempt(struct runq *rq, const struct sched_entity *se, uint64_t now)
{
	struct sched_entity *c = rq->curr;

	if (!c)
		return true;
	if (c == se)
		return false;
	runq_update(rq, now);
	bool throttled = rt_over_budget(rq) && rq->nr_fair;
	if (se_rt(se)) {
		if (throttled)
			return false;
		return !se_rt(c) || se->prio > c->prio;
	}
	if (se_rt(c))
		return throttled;
	return vr_before(se->vruntime + rq->cfg.wakeup_gran_ns, c->vruntime);
}

void runq_yield(struct runq *rq, uint64_t now)
{
	struct sched_entity *c = rq->curr;

	if (!c)
		return;
	runq_update(rq, now);
	if (se_rt(c)) {
		rt_unlink(rq, c);
		rt_link(rq, c, false);
		return;
	}
	/* Move behind every fair entity: take the largest vruntime queued. */
	const struct rbt_node *n = rq->fair.root;
	while (n->right)
		n = n->right;
	uint64_t last = fair_entry(n)->vruntime;
	if (vr_before(c->vruntime, last)) {
		rbt_remove(&rq->fair, &c->fair_node);
		c->vruntime = last;
		rbt_insert(&rq->fair, &c->fair_node, fair_less);
		update_min_vruntime(rq);
	}
}

int runq_set_prio(struct runq *rq, struct sched_entity *se, int prio, uint64_t now)
{
	if (!sched_prio_valid(prio))
		return -E_INVAL;
	if (se->policy != SCHED_POLICY_FAIR && !sched_prio_is_rt(prio))
		return -E_INVAL;
	if (!se->on_rq) {
		set_prio_fields(se, prio);
		return 0;
	}
	bool was_rt = se_rt(se);
	if (se == rq->curr)
		runq_update(rq, now);
	q_remove(rq, se);
	set_prio_fields(se, prio);
	if (was_rt && !se_rt(se))
		place_floor(rq, se); /* no credit for the time spent boosted */
	q_insert(rq, se, se == rq->curr);
	update_min_vruntime(rq);
	return 0;
}
