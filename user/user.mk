# user/user.mk - user programs and their runtime (included by the Makefile).
#
# Every directory user/<name>/ holding .c or .S files (except user/lib and
# user/include) is one program, linked to $(BUILD)/user/bin/<name>.
# USER_BINS lists them; kernel/kernel.mk copies each into /bin/ of initfs.
# The runtime (user/lib) becomes $(BUILD)/user/librb.a, and every lib/
# module built with the user flags becomes $(BUILD)/user/lib.a (lib/libc is
# its string.h); each program links both and takes what it uses, so a
# server can call lib/aml or lib/acpi with no list to keep. The POSIX-subset
# C library (user/libc, headers with POSIX names in user/include) becomes
# $(BUILD)/user/libc.a, linked before the runtime it is built on. user/include
# comes first in the include path: its string.h is a superset that
# include_next's lib/libc's. crt0.o is linked first into every program.
# Objects go under $(BUILD)/user/obj/. See docs/userspace.md.

UCC      := gcc
UCFLAGS  := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	    -isystem $(shell $(UCC) -print-file-name=include) \
	    -fno-stack-protector -fno-pie -fno-asynchronous-unwind-tables \
	    -fcf-protection=none \
	    -Wall -Wextra -Wshadow -Wno-unused-parameter -Werror \
	    -Iuser/include -Ilib/libc/include -Ilib -MMD -MP
UASFLAGS := -g -Ilib -Iuser/include -MMD -MP
ULDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/user.ld -Wl,--build-id=none \
	    -z noexecstack -z max-page-size=0x1000
ULIBGCC  := $(shell $(UCC) -print-libgcc-file-name)

UOBJ     := $(BUILD)/user/obj
URT_SRCS := $(filter-out user/lib/crt0.S,$(sort $(wildcard user/lib/*.c user/lib/*.S)))
URT_OBJS := $(patsubst %,$(UOBJ)/%.o,$(basename $(URT_SRCS)))
URT_LIB  := $(BUILD)/user/librb.a
ULIBC_SRCS := $(sort $(wildcard user/libc/*.c))
ULIBC_OBJS := $(patsubst %,$(UOBJ)/%.o,$(basename $(ULIBC_SRCS)))
ULIBC    := $(BUILD)/user/libc.a
ULIB     := $(BUILD)/user/lib.a
UCRT0    := $(UOBJ)/user/lib/crt0.o

USER_PROGS := $(filter-out lib libc include,$(notdir $(patsubst %/,%,$(sort \
		$(dir $(wildcard user/*/*.c user/*/*.S))))))
USER_BINS  := $(USER_PROGS:%=$(BUILD)/user/bin/%)

.PHONY: user
user: $(USER_BINS)

$(UOBJ)/%.o: %.c user/user.mk
	@mkdir -p $(@D)
	$(UCC) $(UCFLAGS) -c $< -o $@

$(UOBJ)/%.o: %.S user/user.mk
	@mkdir -p $(@D)
	$(UCC) $(UASFLAGS) -c $< -o $@

$(URT_LIB): $(URT_OBJS)
	$(AR_ATOMIC)

$(ULIBC): $(ULIBC_OBJS)
	$(AR_ATOMIC)

$(ULIB): $(LIB_SRCS:%.c=$(UOBJ)/%.o)
	$(AR_ATOMIC)

define user_prog_rule
$(BUILD)/user/bin/$(1): $(UCRT0) $(patsubst %,$(UOBJ)/%.o,$(basename $(sort \
		$(wildcard user/$(1)/*.c user/$(1)/*.S)))) $(ULIBC) $(URT_LIB) $(ULIB) user/user.ld
	@mkdir -p $$(@D)
	$(UCC) $(ULDFLAGS) $(UCRT0) $$(filter %.o,$$(filter-out $(UCRT0),$$^)) \
		$(ULIBC) $(URT_LIB) $(ULIB) $(ULIBGCC) -o $$@
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))
