#!/bin/sh
# lint.sh - structural checks `make check` runs on the source tree:
#  1. lib/ is pure: it includes only freestanding standard headers and its
#     own modules, never kernel/ or user/ headers; and no kernel header has
#     the path of a lib/ header (both are found by "module/name.h").
#     Portable kernel code (outside kernel/arch/) includes only arch.h of
#     the architecture and uses no raw x86 instruction helpers.
#  2. Every header compiles on its own, with the flags of the tree it
#     belongs to (kernel, user programs, or the host for lib/ and tests/).
#  3. Every C file and header is clang-formatted (.clang-format).
# KERNEL_CFLAGS and USER_CFLAGS come from the Makefile (make lint).
set -u
fail=0
err() { echo "lint: $*"; fail=$((fail + 1)); }
# findings are collected in a private directory: no stale file from an
# interrupted run, and nothing written into a build tree (BUILD may be elsewhere)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# 1. lib/ purity
allowed='stddef.h|stdint.h|stdbool.h|stdarg.h|stdatomic.h|stdalign.h|stdnoreturn.h|limits.h|string.h'
libmods=$(cd lib && ls -d */ | tr -d / | paste -sd'|')
for f in $(git ls-files 'lib/*.c' 'lib/*.h'); do
	grep -n '^[[:space:]]*#[[:space:]]*include' "$f" | while IFS= read -r line; do
		inc=$(echo "$line" | sed 's/.*include[[:space:]]*//')
		case "$inc" in
		\<*) echo "$inc" | grep -qE "^<($allowed)>" || echo "$f:${line%%:*}: $inc" ;;
		\"*) echo "$inc" | grep -qE "^\"($libmods)/" || echo "$f:${line%%:*}: $inc" ;;
		esac
	done
done >"$tmp/lib.txt"
if [ -s "$tmp/lib.txt" ]; then
	err "lib/ must include only freestanding headers and lib/ modules:"
	cat "$tmp/lib.txt"
fi

# kernel headers are found through -Ikernel before -Ilib: none may shadow one of lib/
for h in $(git ls-files 'kernel/*.h'); do
	rel=${h#kernel/}
	[ -e "lib/$rel" ] && err "$h shadows lib/$rel (the kernel would include the wrong one)"
done

# the arch seam: portable kernel code includes arch.h, nothing under arch/,
# and never touches control registers, MSRs, ports, CPUID or APIC registers
raw='\b(rdmsr|wrmsr|read_cr[0-4]|write_cr[0-4]|outb|inb|outw|inw|outl|inl|cpuid|invlpg|lapic_send|lapic_read|lapic_write)\('
for f in $(git ls-files 'kernel/*.c' 'kernel/*.h' | grep -v '^kernel/arch'); do
	grep -n '#[[:space:]]*include[[:space:]]*"arch/' "$f" | sed "s|^|$f:|" >>"$tmp/arch.txt"
	grep -nE "$raw" "$f" | sed "s|^|$f:|" >>"$tmp/arch.txt"
done
if [ -s "$tmp/arch.txt" ]; then
	err "portable kernel code reaches past arch.h:"
	cat "$tmp/arch.txt"
fi

# 2. headers compile alone
check_hdr() { # flags... -- header
	hdr=$1; shift
	if ! out=$("$@" -fsyntax-only -x c /dev/null -include "$hdr" 2>&1); then
		err "$hdr does not compile on its own:"
		echo "$out" | head -5
	fi
}
for h in $(git ls-files 'kernel/*.h'); do
	# shellcheck disable=SC2086
	check_hdr "$h" gcc ${KERNEL_CFLAGS}
done
for h in $(git ls-files 'user/*.h'); do
	# shellcheck disable=SC2086
	check_hdr "$h" gcc ${USER_CFLAGS} -Iuser/ktest
done
for h in $(git ls-files 'lib/*.h'); do
	check_hdr "$h" gcc -std=gnu11 -Wall -Wextra -Werror -Ilib
done

# 3. formatting
unformatted=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run 2>&1 |
	grep -o '^[^:]*:[0-9]*:[0-9]*: warning' | cut -d: -f1 | sort -u)
if [ -n "$unformatted" ]; then
	err "not clang-formatted (run clang-format -i on them):"
	echo "$unformatted"
fi

if [ "$fail" -eq 0 ]; then
	echo "lint: 4 passed, 0 failed"
else
	echo "lint: $fail problems"
	exit 1
fi
