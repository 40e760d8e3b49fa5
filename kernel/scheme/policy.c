/*
 * policy.c - the scheme registration policy (see policy.h; the parser and
 * the matching are lib/base/policy.c).
 *
 * Objects: the rule table below, written once by scheme_policy_load on
 * the boot CPU before any process exists and read-only afterwards, so
 * scheme_policy_check runs with no lock from any CPU. A rule's program is
 * compared with struct proc's path, the exact path given to spawn
 * ("initfs:/bin/ramfsd"), which never changes after spawn. The only
 * per-process state is the log-once bits in struct proc's scheme_logged,
 * set with an atomic fetch-or so two threads of one process racing to
 * register print one line between them.
 */
#include "base/err.h"
#include "base/policy.h"
#include "core/log.h"
#include "proc/proc.h"
#include "scheme/file.h"
#include "scheme/policy.h"

#define POLICY_PATH "/etc/scheme.policy" /* in initfs */

#define LOGGED_REFUSAL 1u
#define LOGGED_CONFLICT 2u

static struct policy_rule rules[POLICY_MAX_RULES];
static size_t nrules;
static bool have_policy; /* false: no policy file, only uid 0 may register */

static void report(void *ctx, unsigned line, const char *why)
{
	kprintf("policy: line %u: %s\n", line, why);
}

void scheme_policy_load(void)
{
	size_t len;
	const uint8_t *text = initfs_file(POLICY_PATH, &len);
	if (!text) {
		kprintf("policy: no initfs:%s; only uid 0 may register schemes\n", POLICY_PATH);
		return;
	}
	nrules = policy_parse((const char *)text, len, rules, POLICY_MAX_RULES, report, NULL);
	have_policy = true;
	kprintf("policy: %zu rules from initfs:%s\n", nrules, POLICY_PATH);
}

/* True the first time bit is set for p. */
static bool first_time(struct proc *p, unsigned bit)
{
	return !(__atomic_fetch_or(&p->scheme_logged, bit, __ATOMIC_RELAXED) & bit);
}

int scheme_policy_check(const char *name, struct proc *p)
{
	int uid = proc_uid(p);
	bool ok = have_policy ? policy_allows(rules, nrules, name, p->path, uid) : uid == 0;
	if (ok)
		return 0;
	if (first_time(p, LOGGED_REFUSAL))
		kprintf("scheme: pid %d (%s) may not register \"%.32s\"\n", p->pid, p->path, name);
	return -E_ACCES;
}

void scheme_log_conflict(const char *name, struct proc *p)
{
	if (first_time(p, LOGGED_CONFLICT))
		kprintf("scheme: pid %d (%s) cannot register \"%.32s\": in use\n", p->pid, p->path,
			name);
}
