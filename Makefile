# Red Bear OS top-level build.
#
#   make            kernel + build/redbear.iso
#   make run        boot the ISO in QEMU (q35, 4 CPUs, serial on the terminal)
#   make debug      same, halted, with QEMU's GDB stub on :1234
#   make test       host unit tests (cmocka, ASan + UBSan), seconds
#   make check      everything: unit tests, tool tests, fuzz smoke, QEMU boots
#   make bench      Red Bear vs Linux in the same QEMU: table + plots in build/bench
#   make iso CMDLINE='...' ISO=build/other.iso   another image, other cmdline
#
# Sources are found by globbing, so adding a file needs no Makefile edit:
#   lib/<module>/*.c        pure C, built into one archive per flavour (host,
#                           fuzz, kernel, user): $(BUILD)/<flavour>/lib.a;
#                           every binary links it and takes what it uses.
#                           lib/libc is the freestanding string.h of the
#                           kernel and user flavours (host builds use glibc)
#   tools/<name>/*.c        host tool build/host/<name> (links all of lib/)
#   tests/host/test_*.c     cmocka test build/host/tests/test_* (links lib/)
#   tests/fuzz/fuzz_*.c     libFuzzer target build/fuzz/fuzz_* (links lib/)

BUILD   ?= build
ISO     ?= $(BUILD)/redbear.iso
CMDLINE ?=
QEMU_ACCEL ?= tcg
SMP     ?= 4
MEM     ?= 512M

.PHONY: all deps iso run run-uefi debug test test-full tools fuzz fuzz-smoke lint check clean bootchart bench
all: iso tools

deps:
	@./scripts/deps.sh

# ---------------------------------------------------------------- host side
HOST_CC     := gcc
FUZZ_CC     := clang
WARN        := -Wall -Wextra -Wshadow -Wno-unused-parameter -Werror
SAN         := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN) $(SAN) -Ilib -MMD -MP
HOST_LDFLAGS := $(SAN)

LIB_SRCS  := $(shell find lib -name '*.c' | sort)
HOST_LIB_SRCS := $(filter-out lib/libc/%,$(LIB_SRCS))
HOST_LIB_OBJS := $(HOST_LIB_SRCS:%.c=$(BUILD)/host/obj/%.o)
FUZZ_LIB_OBJS := $(HOST_LIB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)

TOOL_NAMES := $(notdir $(patsubst %/,%,$(sort $(dir $(wildcard tools/*/*.c)))))
TOOL_BINS  := $(TOOL_NAMES:%=$(BUILD)/host/%)
TEST_SRCS  := $(wildcard tests/host/test_*.c)
TEST_BINS  := $(TEST_SRCS:tests/host/%.c=$(BUILD)/host/tests/%)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)

# An archive is built beside its target and renamed over it: a link that
# reads it (in this make or in another one on the same BUILD) sees the old
# archive or the new one, never a missing or half-written file.
AR_ATOMIC = rm -f $@.tmp && ar rcs $@.tmp $^ && mv -f $@.tmp $@

$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/lib.a: $(HOST_LIB_OBJS)
	$(AR_ATOMIC)

define tool_rule
$(BUILD)/host/$(1): $(patsubst %.c,$(BUILD)/host/obj/%.o,$(wildcard tools/$(1)/*.c)) $(BUILD)/host/lib.a
	$(HOST_CC) $(HOST_LDFLAGS) $$^ -o $$@ -lm
endef
$(foreach t,$(TOOL_NAMES),$(eval $(call tool_rule,$(t))))

$(BUILD)/host/tests/%: $(BUILD)/host/obj/tests/host/%.o $(BUILD)/host/lib.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@ -lcmocka -lm

FUZZ_CFLAGS := -std=gnu11 -g -O1 -Ilib -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -MMD -MP
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/lib.a: $(FUZZ_LIB_OBJS)
	$(AR_ATOMIC)

$(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/tests/fuzz/%.o $(BUILD)/fuzz/lib.a
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

tools: $(TOOL_BINS)
fuzz: $(FUZZ_BINS)

test: $(TEST_BINS)
	@./scripts/run-unit-tests.sh $(TEST_BINS)

# the same binaries with their long loop counts (tests/host/test_scale.h)
test-full: $(TEST_BINS)
	@REDBEAR_TEST_FULL=1 ./scripts/run-unit-tests.sh $(TEST_BINS)

FUZZ_SECONDS ?= 10
fuzz-smoke: $(FUZZ_BINS)
	@./scripts/fuzz-smoke.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

-include $(shell find $(BUILD) -type f -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- user programs, kernel
-include user/user.mk
-include kernel/kernel.mk

check: deps
	@./scripts/check.sh

# boot once with init.timeline=serial; build/bootchart.svg + a summary (docs/bootchart.md);
# BOOTCHART_ARGS=--uefi (or --smp N, --timeout S) goes to scripts/bootchart.py
bootchart: $(BUILD)/host/bootchart
	@python3 scripts/bootchart.py $(BOOTCHART_ARGS)

# Red Bear OS against Debian's Linux in the same QEMU (docs/performance.md):
# the table on stdout, build/bench/results.{json,md}, ratios.svg, boot.svg.
# BENCH_ARGS='--runs 5 --boot-cpus 1,4' etc. goes to scripts/bench/bench.py
bench: deps
	@/usr/bin/python3 scripts/bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)

lint:
	@KERNEL_CFLAGS='$(filter-out -MMD -MP,$(KCFLAGS))' USER_CFLAGS='$(filter-out -MMD -MP,$(UCFLAGS))' ./scripts/lint.sh
