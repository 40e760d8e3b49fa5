/*
 * kchild.c - the Linux peer's child for kbench's spawn + wait figure: it
 * exits at once, as user/kchild does on Red Bear. Built static by
 * scripts/bench/peer.py; no state.
 */
int main(void)
{
	return 0;
}
