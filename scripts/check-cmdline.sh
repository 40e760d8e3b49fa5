#!/bin/sh
# check-cmdline.sh - refuse a kernel command line that would break grub.cfg.
#
# make iso bakes CMDLINE into a GRUB menu entry (boot/grub.cfg.in) with sed.
# GRUB's own lexer reads that line: an unbalanced double quote makes it
# swallow the rest of the file, so the image never starts the kernel, and
# ' $ ; \ mean something to GRUB or to the shell, | and & to sed. The value
# comes in the environment (RB_CMDLINE) so no quoting can mangle it here.
v=${RB_CMDLINE-}
quotes=$(printf '%s' "$v" | tr -cd '"' | wc -c)
if [ $((quotes % 2)) -ne 0 ]; then
	echo "make iso: CMDLINE has an unbalanced double quote: $v" >&2
	echo "make iso: refusing to build an image GRUB cannot boot" >&2
	exit 1
fi
case $v in
*"'"* | *'$'* | *';'* | *'\'* | *'|'* | *'&'*)
	echo "make iso: CMDLINE may not contain ' \$ ; \\ | or &: $v" >&2
	exit 1
	;;
esac
exit 0
