/*
 * rb/service.h - start a scheme server and wait until it serves.
 *
 * For programs that start services (init, hostile): spawn the server with
 * the caller's console as its stdio, then open a probe path until the
 * server's scheme is registered. Stateless.
 */
#pragma once
#include <stdint.h>

/*
 * Open path with flags, trying again every 5 ms while its scheme is not
 * registered yet (ENOENT), for at most timeout_ns: the fd, or the error
 * of the last try.
 */
int rb_open_when_served(const char *path, int flags, uint64_t timeout_ns);

/*
 * Spawn prog (argv just its name, stdio the caller's 0-2) and wait up to
 * 10 s until probe opens with flags (the probe is closed again): the pid,
 * or the error of the spawn or of the last probe.
 */
int rb_service_start(const char *prog, const char *probe, int flags);

/*
 * A notify service tells init it is ready: one byte on the fd named by
 * fdstr, the value of its INIT_NOTIFY environment variable
 * (getenv("INIT_NOTIFY")), which is then closed. Nothing when fdstr is
 * NULL or not a number (not started by init, or not notify).
 */
void rb_service_notify(const char *fdstr);
