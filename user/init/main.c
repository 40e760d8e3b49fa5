/*
 * init - the first user program the kernel starts.
 *
 * For now it only shows that a process runs and can print: it announces
 * itself, says it has no services to start yet, and exits 0. It will grow
 * into the service starter (see docs/userspace.md).
 */
#include "rb/stdio.h"
#include "rb/sys.h"

int main(int argc, char **argv, char **envp)
{
	rb_printf("init: started\n");
	rb_printf("init: no services yet\n");
	return 0;
}
