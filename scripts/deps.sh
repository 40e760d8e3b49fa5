#!/bin/sh
# Install the Debian packages Red Bear OS needs to build, run and test.
# Idempotent and quiet when everything is present; safe to run on every
# `make run` / `make check`.
set -eu

PKGS="gcc make binutils grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools
qemu-system-x86 ovmf cpio python3 python3-pytest libcmocka-dev clang lld pci.ids
libclang-rt-14-dev acpica-tools gdb console-setup-linux libc6-dev"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
