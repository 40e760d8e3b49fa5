/*
 * test_drvmgr.c - driver-manager's pure logic (lib/drvmgr): rules files
 * (every match form, every field, each error with its line and column,
 * unknown keys, missing fields, bad file names), matching (priority, then
 * specificity, then rule order; ACPI _HID before _CIDs; hostile device
 * descriptors), PCI descriptors from config space, status lines (every
 * form, line ends, garbage, bounds) and the probe state machine (defer
 * retried on events and skipped past DRV_DEFER_MAX; unsupported and fatal
 * skipped until the device goes; crashes in probe retried with backoff,
 * then skipped; bound drivers restarted with a doubling backoff reset by a
 * stable run, never skipped; restart policies; what is due and when).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "drvmgr/drvmgr.h"

static struct toml_node nodes[256];
static char buf[8192];
static struct drv_rule rule;
static char msg[256];

static int load_as(const char *file, const char *text)
{
	msg[0] = '\0';
	return drv_rule_parse(file, text, strlen(text), nodes, 256, buf, sizeof buf, &rule, msg,
			      sizeof msg);
}

static int load(const char *text)
{
	return load_as("t.toml", text);
}

/* Expect text refused with exactly the formatted message want. */
static void bad(const char *text, const char *want)
{
	int r = load(text);
	if (r != -E_INVAL || strcmp(msg, want) != 0)
		fail_msg("input \"%s\": got %d \"%s\", want \"%s\"", text, r, msg, want);
}

/* ---------------------------------------------------------------- rules */

static void test_rule_every_field(void **state)
{
	const char *text =
	    "# /etc/drivers.d/virtio-blk.toml\n"
	    "exec = \"/bin/virtio-blkd\"\n"
	    "args = [\"--queue-depth\", \"32\"]\n"
	    "priority = 10\n"
	    "match = [\"pci 1af4:1001\", \"pci 1AF4:1042\", \"pci-class 01:08:02\",\n"
	    "         \"pci-class 01:06\", \"pci 8086:*\", \"pci *:abcd\",\n"
	    "         \"acpi PNP0303\", \"acpi ACPI0003\"]\n"
	    "restart = \"always\"\n";
	assert_int_equal(load_as("/etc/drivers.d/virtio-blk.toml", text), 0);
	assert_string_equal(rule.name, "virtio-blk");
	assert_string_equal(rule.exec, "/bin/virtio-blkd");
	assert_int_equal(rule.nargs, 2);
	assert_string_equal(rule.args[0], "--queue-depth");
	assert_string_equal(rule.args[1], "32");
	assert_int_equal(rule.priority, 10);
	assert_int_equal(rule.restart, DRV_RESTART_ALWAYS);
	assert_int_equal(rule.nmatch, 8);
	const struct drv_match *m = rule.m;
	assert_int_equal(m[0].kind, DRV_M_PCI_ID);
	assert_int_equal(m[0].vendor, 0x1af4);
	assert_int_equal(m[0].device, 0x1001);
	assert_int_equal(m[1].device, 0x1042);
	assert_int_equal(m[2].kind, DRV_M_PCI_CLASS);
	assert_int_equal(m[2].cls, 1);
	assert_int_equal(m[2].sub, 8);
	assert_int_equal(m[2].progif, 2);
	assert_int_equal(m[3].kind, DRV_M_PCI_CLASS);
	assert_int_equal(m[3].sub, 6);
	assert_int_equal(m[3].progif, -1);
	assert_int_equal(m[4].vendor, 0x8086);
	assert_int_equal(m[4].device, -1);
	assert_int_equal(m[5].vendor, -1);
	assert_int_equal(m[5].device, 0xabcd);
	assert_int_equal(m[6].kind, DRV_M_ACPI);
	assert_string_equal(m[6].acpi, "PNP0303");
	assert_string_equal(m[7].acpi, "ACPI0003");
	/* every entry formats back to its canonical spelling */
	static const char *const canon[] = {
	    "pci 1af4:1001", "pci 1af4:1042", "pci-class 01:08:02", "pci-class 01:06",
	    "pci 8086:*",    "pci *:abcd",    "acpi PNP0303",	    "acpi ACPI0003"};
	char out[64];
	for (unsigned i = 0; i < rule.nmatch; i++) {
		drv_match_format(&m[i], out, sizeof out);
		assert_string_equal(out, canon[i]);
	}
	assert_string_equal(drv_restart_name(DRV_RESTART_ON_FAILURE), "on-failure");
	assert_string_equal(drv_restart_name(DRV_RESTART_NEVER), "never");
}

static void test_rule_defaults(void **state)
{
	assert_int_equal(load("exec = '/bin/x'\nmatch = ['acpi PNP0A03']\n"), 0);
	assert_string_equal(rule.name, "t");
	assert_int_equal(rule.nargs, 0);
	assert_int_equal(rule.priority, 0);
	assert_int_equal(rule.restart, DRV_RESTART_ON_FAILURE);
	assert_int_equal(rule.nmatch, 1);
	/* the extremes of each range */
	assert_int_equal(load("exec = 'x'\nmatch = ['pci-class ff:FF:0a']\npriority = -1000\n"
			      "restart = 'never'\n"),
			 0);
	assert_int_equal(rule.priority, -1000);
	assert_int_equal(rule.restart, DRV_RESTART_NEVER);
	assert_int_equal(rule.m[0].cls, 0xff);
	assert_int_equal(rule.m[0].progif, 0x0a);
	assert_int_equal(load("exec = 'x'\nmatch = ['pci 0000:ffff']\npriority = 1000\n"), 0);
	assert_int_equal(rule.priority, 1000);
	assert_int_equal(rule.m[0].vendor, 0);
	/* 16 args, 64 matches, a 127-byte exec */
	char text[4096], *p = text;
	p += sprintf(p, "exec = '%0127d'\nargs = [", 7);
	for (int i = 0; i < DRV_ARGS_MAX; i++)
		p += sprintf(p, "'a%d',", i);
	p += sprintf(p, "]\nmatch = [\n");
	for (int i = 0; i < DRV_MATCH_MAX; i++)
		p += sprintf(p, "  'pci 8086:%04x',\n", i);
	p += sprintf(p, "]\n");
	assert_int_equal(load(text), 0);
	assert_int_equal(strlen(rule.exec), 127);
	assert_int_equal(rule.nargs, DRV_ARGS_MAX);
	assert_string_equal(rule.args[15], "a15");
	assert_int_equal(rule.nmatch, DRV_MATCH_MAX);
	assert_int_equal(rule.m[63].device, 63);
}

static void test_rule_match_errors(void **state)
{
	bad("exec = 'x'\nmatch = ['pci 1af4:1001',\n  'pci 1af4']\n",
	    "t.toml: line 3, column 3: bad match \"pci 1af4\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci 1af4:100']\n",
	    "t.toml: line 2, column 10: bad match \"pci 1af4:100\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci 1af4:10011']\n",
	    "t.toml: line 2, column 10: bad match \"pci 1af4:10011\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci 1ag4:1001']\n",
	    "t.toml: line 2, column 10: bad match \"pci 1ag4:1001\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci 1af4:1001:2']\n",
	    "t.toml: line 2, column 10: bad match \"pci 1af4:1001:2\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci 0x1af4:1001']\n",
	    "t.toml: line 2, column 10: bad match \"pci 0x1af4:1001\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci **:1001']\n",
	    "t.toml: line 2, column 10: bad match \"pci **:1001\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci *:*']\n",
	    "t.toml: line 2, column 10: bad match \"pci *:*\": vendor and device cannot both be *");
	bad("exec = 'x'\nmatch = ['pci  1af4:1001']\n",
	    "t.toml: line 2, column 10: bad match \"pci  1af4:1001\": expected pci VVVV:DDDD");
	bad("exec = 'x'\nmatch = ['pci-class 1:06']\n",
	    "t.toml: line 2, column 10: bad match \"pci-class 1:06\": expected pci-class CC:SS or "
	    "CC:SS:PP");
	bad("exec = 'x'\nmatch = ['pci-class 01:06:']\n",
	    "t.toml: line 2, column 10: bad match \"pci-class 01:06:\": expected pci-class CC:SS "
	    "or "
	    "CC:SS:PP");
	bad("exec = 'x'\nmatch = ['pci-class 01-06-01']\n",
	    "t.toml: line 2, column 10: bad match \"pci-class 01-06-01\": expected pci-class CC:SS "
	    "or CC:SS:PP");
	bad("exec = 'x'\nmatch = ['pci-class 01:0g']\n",
	    "t.toml: line 2, column 10: bad match \"pci-class 01:0g\": expected pci-class CC:SS or "
	    "CC:SS:PP");
	bad("exec = 'x'\nmatch = ['pci-class 01:06:*']\n",
	    "t.toml: line 2, column 10: bad match \"pci-class 01:06:*\": expected pci-class CC:SS "
	    "or "
	    "CC:SS:PP");
	/* ACPI: AAA#### or NNNN####, upper case */
	static const char *const acpi_bad[] = {"pnp0303",  "PNP030",   "PNP03033A",
					       "PN10303",  "PNP030G",  "ACPI000g",
					       "acpi0003", "PNP 0303", "1NP0303"};
	for (size_t i = 0; i < sizeof acpi_bad / sizeof acpi_bad[0]; i++) {
		char text[128], want[256];
		snprintf(text, sizeof text, "exec = 'x'\nmatch = ['acpi %s']\n", acpi_bad[i]);
		snprintf(want, sizeof want,
			 "t.toml: line 2, column 10: bad match \"acpi %s\": expected acpi AAA#### "
			 "or NNNN#### (e.g. PNP0303)",
			 acpi_bad[i]);
		bad(text, want);
	}
	assert_int_equal(load("exec = 'x'\nmatch = ['acpi 1234ABCD', 'acpi QEMU0002']\n"), 0);
	/* the kind word */
	bad("exec = 'x'\nmatch = ['usb 1234:5678']\n",
	    "t.toml: line 2, column 10: bad match \"usb 1234:5678\": expected pci, pci-class or "
	    "acpi and one space");
	bad("exec = 'x'\nmatch = ['pci']\n",
	    "t.toml: line 2, column 10: bad match \"pci\": expected pci, pci-class or acpi and one "
	    "space");
	bad("exec = 'x'\nmatch = ['PCI 1af4:1001']\n",
	    "t.toml: line 2, column 10: bad match \"PCI 1af4:1001\": expected pci, pci-class or "
	    "acpi "
	    "and one space");
	bad("exec = 'x'\nmatch = ['']\n",
	    "t.toml: line 2, column 10: bad match \"\": expected pci, pci-class or acpi and one "
	    "space");
	/* the same entry twice (hex case does not make it another) */
	bad("exec = 'x'\nmatch = ['pci 1af4:1001', 'acpi PNP0303', 'pci 1AF4:1001']\n",
	    "t.toml: line 2, column 43: bad match \"pci 1AF4:1001\": listed twice");
	/* a long or unprintable bad entry is quoted cut and cleaned */
	bad("exec = 'x'\nmatch = [\"pci \\t0123456789012345678901234567890123456789\"]\n",
	    "t.toml: line 2, column 10: bad match \"pci ?012345678901234567890123456...\": "
	    "expected "
	    "pci VVVV:DDDD");
	/* not a string, not an array, empty, too many */
	bad("exec = 'x'\nmatch = ['pci 1af4:1001', 7]\n",
	    "t.toml: line 2, column 27: field 'match': expected a string, found an integer");
	bad("exec = 'x'\nmatch = 'pci 1af4:1001'\n",
	    "t.toml: line 2, column 1: field 'match': expected an array, found a string");
	bad("exec = 'x'\nmatch = []\n", "t.toml: line 2, column 1: field 'match': needs 1..64 "
					"entries");
	char text[4096], *p = text;
	p += sprintf(p, "exec = 'x'\nmatch = [");
	for (int i = 0; i <= DRV_MATCH_MAX; i++)
		p += sprintf(p, "'pci 8086:%04x',", i);
	sprintf(p, "]\n");
	bad(text, "t.toml: line 2, column 1: field 'match': needs 1..64 entries");
}

static void test_rule_field_errors(void **state)
{
	const char *m = "match = ['pci 1af4:1001']\n";
	char text[512];
#define WITH(s) (snprintf(text, sizeof text, "%s%s", m, s), text)
	bad(WITH("exec = 'x'\nrestrat = 'always'\n"),
	    "t.toml: line 3, column 1: unknown field 'restrat'");
	bad(WITH("exec = 'x'\n[extra]\nkey = 1\n"),
	    "t.toml: line 3, column 2: unknown field 'extra'");
	bad(WITH("exec = 'x'\n  vendor.id = 1\n"),
	    "t.toml: line 3, column 3: unknown field 'vendor'");
	bad(WITH("exec = 1\n"),
	    "t.toml: line 2, column 1: field 'exec': expected a string, found an integer");
	bad(WITH("exec = ''\n"), "t.toml: line 2, column 1: field 'exec': must be 1..127 bytes");
	char longexec[200];
	snprintf(longexec, sizeof longexec, "exec = '%0128d'\n", 1);
	bad(WITH(longexec), "t.toml: line 2, column 1: field 'exec': must be 1..127 bytes");
	bad(WITH("exec = 'x'\nargs = ['a', 2]\n"),
	    "t.toml: line 3, column 14: field 'args': expected a string, found an integer");
	bad(WITH("exec = 'x'\nargs = ['a', '']\n"),
	    "t.toml: line 3, column 14: field 'args': must be 1..127 bytes");
	bad(WITH("exec = 'x'\nargs = 'a'\n"),
	    "t.toml: line 3, column 1: field 'args': expected an array, found a string");
	bad(WITH("exec = 'x'\nargs = ['1','2','3','4','5','6','7','8','9','10','11','12','13',"
		 "'14','15','16','17']\n"),
	    "t.toml: line 3, column 1: field 'args': more than 16 entries");
	bad(WITH("exec = 'x'\npriority = 1001\n"),
	    "t.toml: line 3, column 1: field 'priority': must be -1000..1000");
	bad(WITH("exec = 'x'\npriority = -1001\n"),
	    "t.toml: line 3, column 1: field 'priority': must be -1000..1000");
	bad(WITH("exec = 'x'\npriority = '10'\n"),
	    "t.toml: line 3, column 1: field 'priority': expected an integer, found a string");
	bad(WITH("exec = 'x'\npriority = 9223372036854775807\n"),
	    "t.toml: line 3, column 1: field 'priority': must be -1000..1000");
	bad(WITH("exec = 'x'\nrestart = 'sometimes'\n"),
	    "t.toml: line 3, column 1: field 'restart': 'sometimes' is not one of always, "
	    "on-failure, never");
	bad(WITH("exec = 'x'\nrestart = true\n"),
	    "t.toml: line 3, column 1: field 'restart': expected a string, found a boolean");
#undef WITH
	/* required fields */
	bad("match = ['pci 1af4:1001']\n", "t.toml: field 'exec': missing");
	bad("exec = 'x'\n", "t.toml: field 'match': missing");
	bad("", "t.toml: field 'exec': missing");
	/* TOML errors pass through with their position */
	bad("exec = 'x'\nmatch = [0x10]\n",
	    "t.toml: line 2, column 10: only decimal integers are supported");
	bad("exec = 'x'\nexec = 'y'\n", "t.toml: line 2, column 1: duplicate key 'exec'");
	/* the message is one line even when a key holds a line end */
	bad("exec = 'x'\n\"a\\nb\" = 1\n", "t.toml: line 2, column 1: unknown field 'a?b'");
	bad("\"a\\nb\" = 1\n\"a\\nb\" = 2\n", "t.toml: line 2, column 1: duplicate key 'a?b'");
}

static void test_rule_names(void **state)
{
	const char *ok = "exec = 'x'\nmatch = ['pci 1af4:1001']\n";
	assert_int_equal(load_as("/etc/drivers.d/ahci_2-x.toml", ok), 0);
	assert_string_equal(rule.name, "ahci_2-x");
	assert_int_equal(load_as("0123456789012345678901234567890.toml", ok), 0);
	static const char *const bad_names[] = {
	    "Virtio.toml", "-x.toml",  ".toml",	     "x.conf",
	    "x",	   "a b.toml", "x.toml.bak", "01234567890123456789012345678901.toml"};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		assert_int_equal(load_as(bad_names[i], ok), -E_INVAL);
		char want[256];
		snprintf(want, sizeof want,
			 "%s: the file name must be <driver name>.toml, the name of [a-z0-9_-]",
			 bad_names[i]);
		assert_string_equal(msg, want);
	}
	/* too little TOML storage is an error, not an overflow */
	char small[8];
	assert_int_equal(drv_rule_parse("t.toml", ok, strlen(ok), nodes, 2, small, sizeof small,
					&rule, msg, sizeof msg),
			 -E_NOSPC);
	assert_int_equal(drv_rule_parse("t.toml", ok, strlen(ok), nodes, 0, buf, sizeof buf, &rule,
					msg, sizeof msg),
			 -E_NOSPC);
	/* no room for the message is fine */
	assert_int_equal(
	    drv_rule_parse("t.toml", "x", 1, nodes, 256, buf, sizeof buf, &rule, NULL, 0),
	    -E_INVAL);
}

/* ---------------------------------------------------------------- matching */

static struct drv_rule rules[8];

/* rules[i] from text (file "r<i>.toml"). */
static void set_rule(unsigned i, const char *text)
{
	char file[16];
	snprintf(file, sizeof file, "r%u.toml", i);
	if (drv_rule_parse(file, text, strlen(text), nodes, 256, buf, sizeof buf, &rules[i], msg,
			   sizeof msg) < 0)
		fail_msg("rule %u: %s", i, msg);
}

static struct drv_desc pci_dev(int vendor, int device, int cls, int sub, int progif)
{
	struct drv_desc d = {.bus = DRV_BUS_PCI, .addr = "0000:00:04.0"};
	d.vendor = vendor;
	d.device = device;
	d.cls = cls;
	d.sub = sub;
	d.progif = progif;
	return d;
}

static void test_match_specificity(void **state)
{
	set_rule(0, "exec = 'a'\nmatch = ['pci 8086:*']\n");
	set_rule(1, "exec = 'b'\nmatch = ['pci-class 01:06']\n");
	set_rule(2, "exec = 'c'\nmatch = ['pci-class 01:06:01']\n");
	set_rule(3, "exec = 'd'\nmatch = ['pci 8086:2922']\n");
	set_rule(4, "exec = 'e'\nmatch = ['pci *:2922']\n");
	set_rule(5, "exec = 'f'\nmatch = ['pci-class 01:06:02']\n"); /* other prog-if */
	set_rule(6, "exec = 'g'\nmatch = ['acpi PNP0303']\n");	     /* other bus */
	struct drv_desc d = pci_dev(0x8086, 0x2922, 1, 6, 1);
	unsigned out[8];
	assert_int_equal(drv_match(rules, 7, &d, out, 8), 5);
	assert_int_equal(out[0], 3); /* vendor:device */
	assert_int_equal(out[1], 2); /* class with prog-if */
	assert_int_equal(out[2], 1); /* class */
	assert_int_equal(out[3], 0); /* vendor:*, then *:device by rule order */
	assert_int_equal(out[4], 4);
	assert_int_equal(drv_rule_spec(&rules[3], &d), DRV_SPEC_PCI_ID);
	assert_int_equal(drv_rule_spec(&rules[5], &d), DRV_SPEC_NONE);
	assert_int_equal(drv_rule_spec(&rules[6], &d), DRV_SPEC_NONE);
	/* max keeps the best ones */
	assert_int_equal(drv_match(rules, 7, &d, out, 2), 2);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 2);
	assert_int_equal(drv_match(rules, 7, &d, out, 1), 1);
	assert_int_equal(out[0], 3);
	assert_int_equal(drv_match(rules, 7, &d, NULL, 0), 0);
	/* a rule's best entry counts */
	set_rule(0, "exec = 'a'\nmatch = ['pci 8086:*', 'pci 8086:2922']\n");
	assert_int_equal(drv_match(rules, 7, &d, out, 8), 5);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 3);
	/* another device: none */
	d = pci_dev(0x1af4, 0x1000, 2, 0, 0);
	assert_int_equal(drv_match(rules, 7, &d, out, 8), 0);
}

static void test_match_priority(void **state)
{
	set_rule(0, "exec = 'a'\nmatch = ['pci 1af4:1001']\n");
	set_rule(1, "exec = 'b'\nmatch = ['pci-class 01:00']\npriority = 10\n");
	set_rule(2, "exec = 'c'\nmatch = ['pci 1af4:*']\npriority = 10\n");
	set_rule(3, "exec = 'd'\nmatch = ['pci 1af4:1001']\npriority = -5\n");
	set_rule(4, "exec = 'e'\nmatch = ['pci 1af4:1001']\n");
	struct drv_desc d = pci_dev(0x1af4, 0x1001, 1, 0, 0);
	unsigned out[8];
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 5);
	static const unsigned want[] = {1, 2, 0, 4, 3};
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(out[i], want[i]);
	/* with little room, a late better rule still displaces a worse kept one */
	assert_int_equal(drv_match(rules, 5, &d, out, 3), 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 0);
	set_rule(5, "exec = 'f'\nmatch = ['pci-class 01:00']\npriority = 1000\n");
	assert_int_equal(drv_match(rules, 6, &d, out, 3), 3);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 2);
}

static void test_match_acpi(void **state)
{
	set_rule(0, "exec = 'a'\nmatch = ['acpi PNP0C0F']\n");	  /* the second _CID */
	set_rule(1, "exec = 'b'\nmatch = ['acpi PNP0303']\n");	  /* the first _CID */
	set_rule(2, "exec = 'c'\nmatch = ['acpi QEMU0001']\n");	  /* the _HID */
	set_rule(3, "exec = 'd'\nmatch = ['pci-class 09:00']\n"); /* a PCI rule */
	set_rule(4, "exec = 'e'\nmatch = ['acpi PNP0304']\n");	  /* no id */
	struct drv_desc d = {.bus = DRV_BUS_ACPI, .addr = "\\_SB.PCI0.SF8.KBD"};
	d.ids[0] = "QEMU0001";
	d.ids[1] = "PNP0303";
	d.ids[2] = "PNP0C0F";
	d.nids = 3;
	d.cls = 9; /* not a PCI device, whatever these say */
	unsigned out[8];
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 3);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 0);
	assert_int_equal(drv_rule_spec(&rules[2], &d), DRV_SPEC_ACPI_HID);
	assert_true(drv_rule_spec(&rules[1], &d) > drv_rule_spec(&rules[0], &d));
	/* priority still comes first */
	set_rule(0, "exec = 'a'\nmatch = ['acpi PNP0C0F']\npriority = 1\n");
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 3);
	assert_int_equal(out[0], 0);
	/* a prefix or an extension of an id is not the id */
	d.ids[0] = "QEMU00011";
	d.ids[1] = "PNP030";
	d.ids[2] = NULL;
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 0);
	/* hostile descriptors: nids past the array, a bad bus */
	d.ids[0] = "QEMU0001";
	d.nids = 1000;
	for (unsigned i = 1; i < DRV_IDS_MAX; i++)
		d.ids[i] = "ZZZ0000";
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 1);
	assert_int_equal(out[0], 2);
	d.bus = (enum drv_bus)7;
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 0);
	/* a PCI device never matches an ACPI rule, even with ids set */
	d.bus = DRV_BUS_PCI;
	assert_int_equal(drv_match(rules, 5, &d, out, 8), 1);
	assert_int_equal(out[0], 3);
}

static void test_acpi_line(void **state)
{
	struct drv_acpi_dev a;
	struct drv_desc d;
	const char *l = "\\_SB_.PCI0.SF8_.PS2K PNP0303 PNP030B\n";
	assert_int_equal(drv_acpi_parse(l, strlen(l), &a), 0);
	assert_string_equal(a.addr, "\\_SB_.PCI0.SF8_.PS2K");
	assert_int_equal(a.nids, 2);
	assert_string_equal(a.ids[1], "PNP030B");
	drv_acpi_desc(&a, &d);
	assert_int_equal(d.bus, DRV_BUS_ACPI);
	assert_string_equal(d.addr, a.addr);
	assert_int_equal(d.nids, 2);
	assert_ptr_equal(d.ids[0], a.ids[0]);
	/* it matches the rule that names its _CID */
	set_rule(0, "exec = 'a'\nmatch = ['acpi PNP030B']\n");
	unsigned out[2];
	assert_int_equal(drv_match(rules, 1, &d, out, 2), 1);

	/* bad ids are left out, the good ones kept; more than fit are dropped */
	l = "\\_SB_.X  TOOLONGID1 P-P0303 lower_ok  A1 A2 A3 A4 A5 A6 A7 A8 A9";
	assert_int_equal(drv_acpi_parse(l, strlen(l), &a), 0);
	assert_int_equal(a.nids, DRV_IDS_MAX);
	assert_string_equal(a.ids[0], "lower_ok");
	assert_string_equal(a.ids[DRV_IDS_MAX - 1], "A8");

	/* refused: no id left, no path, not a path, a path too long, NULL */
	static const char *const bad[] = {
	    "\\_SB_.X",	      "\\_SB_.X TOOLONGID1", "",	 "\\ PNP0303",
	    "_SB_.X PNP0303", "\\_SB_.X-Y PNP0303",  " PNP0303",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(drv_acpi_parse(bad[i], strlen(bad[i]), &a), -E_INVAL);
	l = "\\_SB_.PCI0.RP01.PXSX.TBDU.XHCI.RHUB PNP0303"; /* a 35-byte path */
	assert_int_equal(drv_acpi_parse(l, strlen(l), &a), -E_NAMETOOLONG);
	assert_int_equal(drv_acpi_parse(NULL, 0, &a), -E_INVAL);
	/* the length is obeyed: no NUL needed */
	char raw[] = {'\\', 'A', ' ', 'P', 'N', 'P', '0', '3', '0', '3', 'X'};
	assert_int_equal(drv_acpi_parse(raw, 10, &a), 0);
	assert_string_equal(a.ids[0], "PNP0303");
}

static void test_pci_config(void **state)
{
	uint8_t cfg[64] = {0xf4, 0x1a, 0x42, 0x10, 0, 0, 0, 0, 0x01, 0x02, 0x08, 0x01};
	struct drv_desc d;
	assert_int_equal(drv_dev_from_pci_config(cfg, 16, "0000:00:04.0", &d), 0);
	assert_int_equal(d.bus, DRV_BUS_PCI);
	assert_string_equal(d.addr, "0000:00:04.0");
	assert_int_equal(d.vendor, 0x1af4);
	assert_int_equal(d.device, 0x1042);
	assert_int_equal(d.progif, 0x02);
	assert_int_equal(d.sub, 0x08);
	assert_int_equal(d.cls, 0x01);
	assert_int_equal(d.nids, 0);
	assert_int_equal(drv_dev_from_pci_config(cfg, 15, "0000:00:04.0", &d), -E_INVAL);
	assert_int_equal(drv_dev_from_pci_config(cfg, 64, "01234567890123456789012345678901", &d),
			 -E_INVAL);
	cfg[0] = cfg[1] = 0xff;
	assert_int_equal(drv_dev_from_pci_config(cfg, 64, "0000:00:04.0", &d), -E_INVAL);
	/* and it matches what a rule says */
	cfg[0] = 0xf4;
	cfg[1] = 0x1a;
	assert_int_equal(drv_dev_from_pci_config(cfg, 16, "0000:00:04.0", &d), 0);
	set_rule(0, "exec = 'a'\nmatch = ['pci-class 01:08:02']\n");
	set_rule(1, "exec = 'b'\nmatch = ['pci 1af4:1042']\n");
	unsigned out[2];
	assert_int_equal(drv_match(rules, 2, &d, out, 2), 2);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 0);
}

/* ---------------------------------------------------------------- status lines */

static struct drv_status st;

static int parse(const char *s)
{
	return drv_status_parse(s, strlen(s), &st);
}

static void test_status_lines(void **state)
{
	assert_int_equal(parse("ready"), 0);
	assert_int_equal(st.kind, DRV_ST_READY);
	assert_string_equal(st.mode, "");
	assert_int_equal(parse("ready msix 2\n"), 0);
	assert_string_equal(st.mode, "msix 2");
	assert_int_equal(parse("ready intx 11\r\n"), 0);
	assert_string_equal(st.mode, "intx 11");
	assert_int_equal(parse("ready poll\r"), 0);
	assert_string_equal(st.mode, "poll");
	assert_int_equal(parse("defer waiting for acpid\n"), 0);
	assert_int_equal(st.kind, DRV_ST_DEFER);
	assert_string_equal(st.reason, "waiting for acpid");
	assert_string_equal(st.mode, "");
	assert_int_equal(parse("unsupported revision 3"), 0);
	assert_int_equal(st.kind, DRV_ST_UNSUPPORTED);
	assert_string_equal(st.reason, "revision 3");
	assert_int_equal(parse("fatal BAR0 is zero"), 0);
	assert_int_equal(st.kind, DRV_ST_FATAL);
	assert_string_equal(st.reason, "BAR0 is zero");
	assert_int_equal(parse("fatal"), 0);
	assert_string_equal(st.reason, "");
	assert_int_equal(parse("defer "), 0);
	assert_string_equal(st.reason, "");
	assert_string_equal(drv_status_name(DRV_ST_UNSUPPORTED), "unsupported");
	/* free text is made printable and cut */
	assert_int_equal(parse("fatal a\tb\x01\xff\rc\n"), 0);
	assert_string_equal(st.reason, "a?b???c");
	assert_int_equal(drv_status_parse("defer x\0y", 9, &st), 0);
	assert_string_equal(st.reason, "x?y");
	char line[300];
	memset(line, 'r', sizeof line);
	memcpy(line, "defer ", 6);
	assert_int_equal(drv_status_parse(line, 255, &st), 0);
	assert_int_equal(strlen(st.reason), DRV_REASON_MAX);
	memcpy(line, "ready ", 6);
	assert_int_equal(drv_status_parse(line, 255, &st), 0);
	assert_int_equal(strlen(st.mode), DRV_MODE_MAX);
	/* 255 bytes and a line end is fine; 256 is not */
	line[255] = '\r';
	line[256] = '\n';
	assert_int_equal(drv_status_parse(line, 257, &st), 0);
	assert_int_equal(drv_status_parse(line, 256, &st), 0);
	line[255] = 'r';
	assert_int_equal(drv_status_parse(line, 256, &st), -E_INVAL);
	assert_int_equal(drv_status_parse(line, sizeof line, &st), -E_INVAL);
}

static void test_status_garbage(void **state)
{
	static const char *const garbage[] = {
	    "",		 "\n",	       "\r\n",	      "\n\n",	       " ready",
	    "Ready",	 "READY",      "readyx",      "ready\tmsix",   "ok",
	    "defer\n\n", "deferred x", "fatal\r\r\n", "unsupported\t", "ready\n\r",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		if (parse(garbage[i]) != -E_INVAL)
			fail_msg("\"%s\" was accepted", garbage[i]);
	assert_int_equal(drv_status_parse("ready", 0, &st), -E_INVAL);
	assert_int_equal(drv_status_parse(NULL, 4, &st), -E_INVAL);
	assert_int_equal(drv_status_parse("ready\0", 6, &st), -E_INVAL);
}

/* ---------------------------------------------------------------- probe bookkeeping */

static struct drv_pair storage[8];
static struct drv_pairs t;

static struct drv_status status(enum drv_status_kind k, const char *text)
{
	struct drv_status s = {.kind = k};
	snprintf(k == DRV_ST_READY ? s.mode : s.reason, DRV_MODE_MAX + 1, "%s", text);
	return s;
}

static struct drv_pair *add(const char *addr, unsigned rule_index)
{
	struct drv_pair *p;
	assert_int_equal(drv_pair_find_or_add(&t, addr, rule_index, &p), 0);
	return p;
}

static void describe_is(const struct drv_pair *p, const char *want)
{
	char out[128];
	drv_pair_describe(p, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_pair_table(void **state)
{
	drv_pairs_init(&t, storage, 3);
	struct drv_pair *a = add("0000:00:04.0", 0), *p;
	assert_int_equal(a->state, DRV_PAIR_IDLE);
	assert_ptr_equal(add("0000:00:04.0", 0), a);
	add("0000:00:04.0", 1);
	add("0000:00:05.0", 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(drv_pair_find_or_add(&t, "0000:00:06.0", 0, &p), -E_NOSPC);
	assert_int_equal(drv_pair_find_or_add(&t, "", 0, &p), -E_INVAL);
	assert_int_equal(drv_pair_find_or_add(&t, "01234567890123456789012345678901", 0, &p),
			 -E_INVAL);
	assert_null(drv_pair_find(&t, "0000:00:04.0", 2));
	assert_ptr_equal(drv_pair_find(&t, "0000:00:05.0", 0), &storage[2]);
	/* the daemon grows the table */
	static struct drv_pair bigger[8];
	memcpy(bigger, storage, sizeof storage[0] * t.n);
	t.v = bigger;
	t.cap = 8;
	assert_int_equal(drv_pair_find_or_add(&t, "0000:00:06.0", 0, &p), 0);
	assert_int_equal(t.n, 4);
	/* removal forgets every pair of the device, keeps the order of the rest */
	assert_int_equal(drv_pair_remove_dev(&t, "0000:00:04.0"), 2);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].addr, "0000:00:05.0");
	assert_string_equal(t.v[1].addr, "0000:00:06.0");
	assert_int_equal(drv_pair_remove_dev(&t, "0000:00:04.0"), 0);
	assert_int_equal(drv_pair_remove_dev(&t, ""), 0);
	/* IDLE pairs are due at once, first come first served */
	uint64_t next;
	assert_ptr_equal(drv_pair_due(&t, 0, &next), &t.v[0]);
	assert_true(next == UINT64_MAX);
	describe_is(&t.v[0], "idle");
	drv_pairs_init(&t, NULL, 4);
	assert_int_equal(drv_pair_find_or_add(&t, "x", 0, &p), -E_NOSPC);
	assert_null(drv_pair_due(&t, 0, NULL));
}

static void test_pair_ready(void **state)
{
	drv_pairs_init(&t, storage, 8);
	struct drv_pair *p = add("0000:00:04.0", 0);
	drv_pair_spawned(&t, p, 100);
	assert_int_equal(p->state, DRV_PAIR_PROBING);
	describe_is(p, "probing");
	uint64_t next;
	assert_null(drv_pair_due(&t, 100, &next));
	struct drv_status s = status(DRV_ST_READY, "msix 2");
	assert_int_equal(drv_pair_result(&t, p, &s, 110), DRV_PAIR_BOUND);
	assert_string_equal(p->mode, "msix 2");
	describe_is(p, "bound (msix 2)");
	/* a second line is ignored */
	s = status(DRV_ST_FATAL, "late");
	assert_int_equal(drv_pair_result(&t, p, &s, 120), DRV_PAIR_BOUND);
	s = status(DRV_ST_READY, "");
	drv_pair_spawned(&t, p, 200);
	assert_int_equal(drv_pair_result(&t, p, &s, 210), DRV_PAIR_BOUND);
	describe_is(p, "bound");
}

static void test_pair_defer(void **state)
{
	drv_pairs_init(&t, storage, 8);
	struct drv_pair *p = add("0000:00:04.0", 0), *q = add("0000:00:05.0", 3);
	struct drv_status s = status(DRV_ST_DEFER, "waiting for acpid");
	uint64_t next, now = 1000;
	drv_pair_spawned(&t, q, now);
	for (unsigned k = 1; k <= DRV_DEFER_MAX; k++) {
		drv_pair_spawned(&t, p, now);
		assert_int_equal(drv_pair_result(&t, p, &s, now), DRV_PAIR_DEFERRED);
		assert_int_equal(p->defers, k);
		assert_string_equal(p->reason, "waiting for acpid");
		/* its exit after "defer" changes nothing */
		assert_int_equal(drv_pair_exit(p, 0, now, DRV_RESTART_ALWAYS, NULL),
				 DRV_EXIT_NOTHING);
		assert_int_equal(p->state, DRV_PAIR_DEFERRED);
		/* not due until an event, however long we wait */
		assert_null(drv_pair_due(&t, now + 3600000, &next));
		assert_true(next == UINT64_MAX);
		char want[32];
		snprintf(want, sizeof want, "deferred (%u)", k);
		describe_is(p, want);
		assert_int_equal(drv_pair_event(&t), 1);
		assert_int_equal(drv_pair_event(&t), 0); /* already due */
		assert_ptr_equal(drv_pair_due(&t, now, &next), p);
		now += 10;
	}
	drv_pair_spawned(&t, p, now);
	assert_int_equal(drv_pair_result(&t, p, &s, now), DRV_PAIR_SKIPPED);
	assert_int_equal(p->skip, DRV_SKIP_OUT_OF_RETRIES);
	describe_is(p, "skipped: out of retries");
	assert_true(drv_pair_skipped(&t, "0000:00:04.0", 0));
	assert_int_equal(drv_pair_event(&t), 0);
	assert_null(drv_pair_due(&t, now, &next));
	/* the skip set holds: spawning it anyway does not take it out */
	drv_pair_spawned(&t, p, now);
	assert_int_equal(p->state, DRV_PAIR_SKIPPED);
	assert_int_equal(drv_pair_exit(p, 1, now, DRV_RESTART_ALWAYS, NULL), DRV_EXIT_NOTHING);
	/* q spawned before all those events and deferring now is due at once */
	assert_int_equal(drv_pair_result(&t, q, &s, now), DRV_PAIR_DEFERRED);
	assert_ptr_equal(drv_pair_due(&t, now, &next), q);
	/* but one spawned after the last event waits for the next */
	drv_pair_spawned(&t, q, now);
	assert_int_equal(drv_pair_result(&t, q, &s, now), DRV_PAIR_DEFERRED);
	assert_null(drv_pair_due(&t, now, &next));
	/* a ready resets the defer count */
	drv_pair_event(&t);
	drv_pair_spawned(&t, q, now);
	struct drv_status r = status(DRV_ST_READY, "poll");
	assert_int_equal(drv_pair_result(&t, q, &r, now), DRV_PAIR_BOUND);
	assert_int_equal(q->defers, 0);
}

static void test_pair_unsupported_fatal(void **state)
{
	drv_pairs_init(&t, storage, 8);
	const char *dev = "\\_SB.PCI0.SF8.KBD";
	struct drv_pair *a = add(dev, 0), *b = add(dev, 1);
	add(dev, 2);
	unsigned cands[] = {0, 1, 2};
	assert_int_equal(drv_pair_pick(&t, dev, cands, 3), 0);
	struct drv_status s = status(DRV_ST_UNSUPPORTED, "rev 2");
	drv_pair_spawned(&t, a, 0);
	assert_int_equal(drv_pair_result(&t, a, &s, 1), DRV_PAIR_SKIPPED);
	assert_int_equal(a->skip, DRV_SKIP_UNSUPPORTED);
	assert_string_equal(a->reason, "rev 2");
	describe_is(a, "skipped: unsupported");
	assert_int_equal(drv_pair_exit(a, 0, 2, DRV_RESTART_ALWAYS, NULL), DRV_EXIT_NOTHING);
	assert_int_equal(drv_pair_pick(&t, dev, cands, 3), 1);
	s = status(DRV_ST_FATAL, "no BAR");
	drv_pair_spawned(&t, b, 3);
	assert_int_equal(drv_pair_result(&t, b, &s, 4), DRV_PAIR_SKIPPED);
	assert_int_equal(b->skip, DRV_SKIP_FATAL);
	describe_is(b, "skipped: fatal");
	assert_int_equal(drv_pair_pick(&t, dev, cands, 3), 2);
	assert_int_equal(drv_pair_pick(&t, dev, cands, 2), -E_NOENT);
	/* events, time: never probed again */
	for (int i = 0; i < 10; i++)
		drv_pair_event(&t);
	uint64_t next;
	assert_ptr_equal(drv_pair_due(&t, 1000000, &next), &t.v[2]); /* only the idle one */
	drv_pair_spawned(&t, &t.v[2], 5);
	assert_null(drv_pair_due(&t, 1000000, &next));
	/* until the device goes and comes back */
	assert_int_equal(drv_pair_remove_dev(&t, dev), 3);
	assert_false(drv_pair_skipped(&t, dev, 0));
	assert_null(drv_pair_find(&t, dev, 1));
	a = add(dev, 0);
	assert_int_equal(a->state, DRV_PAIR_IDLE);
	assert_int_equal(drv_pair_pick(&t, dev, cands, 3), 0);
	assert_ptr_equal(drv_pair_due(&t, 0, &next), a);
}

static void test_pair_probe_crash(void **state)
{
	drv_pairs_init(&t, storage, 8);
	struct drv_pair *p = add("0000:00:04.0", 0);
	uint64_t at = 0, next, now = 1000;
	static const uint64_t delay[DRV_PROBE_CRASH_MAX] = {0, 50, 100};
	for (unsigned k = 1; k <= DRV_PROBE_CRASH_MAX; k++) {
		drv_pair_spawned(&t, p, now);
		/* the policy does not matter in probe, nor a clean exit */
		assert_int_equal(
		    drv_pair_exit(p, k == 1 ? 0 : 139, now + 5, DRV_RESTART_NEVER, &at),
		    DRV_EXIT_RESTART);
		assert_int_equal(p->state, DRV_PAIR_BACKOFF);
		assert_int_equal(at, now + 5 + delay[k - 1]);
		char want[32];
		snprintf(want, sizeof want, "restarting (%u)", k);
		describe_is(p, want);
		if (delay[k - 1]) {
			assert_null(drv_pair_due(&t, at - 1, &next));
			assert_int_equal(next, at);
		}
		assert_ptr_equal(drv_pair_due(&t, at, &next), p);
		now = at;
	}
	drv_pair_spawned(&t, p, now);
	assert_int_equal(drv_pair_exit(p, 1, now + 1, DRV_RESTART_ALWAYS, &at), DRV_EXIT_SKIPPED);
	assert_int_equal(p->state, DRV_PAIR_SKIPPED);
	assert_int_equal(p->skip, DRV_SKIP_PROBE_CRASHES);
	describe_is(p, "skipped: crashed in probe too often");
	assert_true(drv_pair_skipped(&t, "0000:00:04.0", 0));
	assert_null(drv_pair_due(&t, now + 100000, &next));
	assert_true(next == UINT64_MAX);
	/* an exit in any other state is nothing */
	struct drv_pair *q = add("0000:00:05.0", 0);
	assert_int_equal(drv_pair_exit(q, 1, 0, DRV_RESTART_ALWAYS, &at), DRV_EXIT_NOTHING);
	assert_int_equal(q->state, DRV_PAIR_IDLE);
}

static void test_pair_bound_restart(void **state)
{
	static const uint64_t want[] = {0, 50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
	for (unsigned k = 0; k < sizeof want / sizeof want[0]; k++)
		assert_int_equal(drv_pair_backoff_ms(k), want[k]);
	assert_int_equal(drv_pair_backoff_ms(64), 5000);
	assert_int_equal(drv_pair_backoff_ms(~0u), 5000);

	drv_pairs_init(&t, storage, 8);
	struct drv_pair *p = add("0000:00:04.0", 0);
	struct drv_status ready = status(DRV_ST_READY, "msi 1");
	uint64_t at = 0, now = 1000;
	drv_pair_spawned(&t, p, now);
	assert_int_equal(drv_pair_result(&t, p, &ready, now), DRV_PAIR_BOUND);
	/* quick crashes: the backoff doubles, and goes on past any crash count */
	for (unsigned k = 0; k < 12; k++) {
		now += 100;
		assert_int_equal(drv_pair_exit(p, 139, now, DRV_RESTART_ON_FAILURE, &at),
				 DRV_EXIT_RESTART);
		assert_int_equal(at, now + drv_pair_backoff_ms(k));
		assert_int_equal(p->state, DRV_PAIR_BACKOFF);
		assert_int_equal(p->restarts, k + 1);
		now = at;
		drv_pair_spawned(&t, p, now);
		if (k == 5) {
			/* crashing again before "ready": still a restart, never a skip */
			assert_int_equal(drv_pair_exit(p, 0, now + 1, DRV_RESTART_ON_FAILURE, &at),
					 DRV_EXIT_RESTART);
			assert_int_equal(at, now + 1 + drv_pair_backoff_ms(6));
			k++;
			now = at;
			drv_pair_spawned(&t, p, now);
		}
		assert_int_equal(drv_pair_result(&t, p, &ready, now + 1), DRV_PAIR_BOUND);
	}
	assert_int_equal(p->restarts, 12);
	describe_is(p, "bound (msi 1)");
	/* a run of 10 s or more resets the backoff: the next restart is at once */
	now += DRV_STABLE_RUN_MS;
	assert_int_equal(drv_pair_exit(p, 1, now, DRV_RESTART_ALWAYS, &at), DRV_EXIT_RESTART);
	assert_int_equal(at, now);
	assert_int_equal(p->restarts, 1);
	uint64_t next;
	assert_ptr_equal(drv_pair_due(&t, now, &next), p);
	drv_pair_spawned(&t, p, now);
	assert_int_equal(drv_pair_result(&t, p, &ready, now), DRV_PAIR_BOUND);
	now += DRV_STABLE_RUN_MS - 1;
	assert_int_equal(drv_pair_exit(p, 1, now, DRV_RESTART_ALWAYS, &at), DRV_EXIT_RESTART);
	assert_int_equal(at, now + 50);
	describe_is(p, "restarting (2)");
	/* a clock that went backwards is not a stable run */
	drv_pair_spawned(&t, p, now);
	assert_int_equal(drv_pair_result(&t, p, &ready, now), DRV_PAIR_BOUND);
	assert_int_equal(drv_pair_exit(p, 1, now - 20000, DRV_RESTART_ALWAYS, &at),
			 DRV_EXIT_RESTART);
	assert_int_equal(p->restarts, 3);
}

static void test_pair_policies(void **state)
{
	drv_pairs_init(&t, storage, 8);
	struct drv_status ready = status(DRV_ST_READY, "");
	uint64_t at = 0, next;
	struct {
		enum drv_restart policy;
		int status;
		enum drv_exit_action want;
	} cases[] = {
	    {DRV_RESTART_ON_FAILURE, 0, DRV_EXIT_STOPPED},
	    {DRV_RESTART_ON_FAILURE, 1, DRV_EXIT_RESTART},
	    {DRV_RESTART_ON_FAILURE, -9, DRV_EXIT_RESTART},
	    {DRV_RESTART_ALWAYS, 0, DRV_EXIT_RESTART},
	    {DRV_RESTART_ALWAYS, 1, DRV_EXIT_RESTART},
	    {DRV_RESTART_NEVER, 0, DRV_EXIT_STOPPED},
	    {DRV_RESTART_NEVER, 1, DRV_EXIT_STOPPED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char addr[16];
		snprintf(addr, sizeof addr, "dev%zu", i);
		struct drv_pair *p = add(addr, 0);
		drv_pair_spawned(&t, p, 0);
		assert_int_equal(drv_pair_result(&t, p, &ready, 0), DRV_PAIR_BOUND);
		assert_int_equal(drv_pair_exit(p, cases[i].status, 100, cases[i].policy, &at),
				 cases[i].want);
		if (cases[i].want == DRV_EXIT_STOPPED) {
			assert_int_equal(p->state, DRV_PAIR_STOPPED);
			describe_is(p, "stopped");
			assert_false(drv_pair_skipped(&t, addr, 0));
			/* a stopped pair is not due, whatever happens */
			drv_pair_event(&t);
			assert_true(drv_pair_due(&t, 1000000, &next) != p);
			assert_int_equal(drv_pair_exit(p, 1, 200, cases[i].policy, &at),
					 DRV_EXIT_NOTHING);
		} else {
			assert_int_equal(at, 100);
			drv_pair_spawned(&t, p, 100); /* out of the due list */
		}
	}
	assert_string_equal(drv_pair_state_name(DRV_PAIR_BACKOFF), "restarting");
	assert_string_equal(drv_pair_state_name((enum drv_pair_state)99), "?");
	assert_string_equal(drv_skip_name(DRV_SKIP_NONE), "");
}

static void test_pair_due_order(void **state)
{
	drv_pairs_init(&t, storage, 8);
	struct drv_pair *a = add("a", 0), *b = add("b", 0), *c = add("c", 0);
	uint64_t at, next;
	/* a and b crash in probe twice: due at 50 ms after their exits */
	drv_pair_spawned(&t, a, 0);
	drv_pair_spawned(&t, b, 0);
	drv_pair_spawned(&t, c, 0);
	assert_int_equal(drv_pair_exit(a, 1, 0, DRV_RESTART_ON_FAILURE, &at), DRV_EXIT_RESTART);
	assert_int_equal(drv_pair_exit(b, 1, 0, DRV_RESTART_ON_FAILURE, &at), DRV_EXIT_RESTART);
	drv_pair_spawned(&t, a, 0);
	drv_pair_spawned(&t, b, 0);
	assert_int_equal(drv_pair_exit(b, 1, 30, DRV_RESTART_ON_FAILURE, &at), DRV_EXIT_RESTART);
	assert_int_equal(at, 80);
	assert_int_equal(drv_pair_exit(a, 1, 40, DRV_RESTART_ON_FAILURE, &at), DRV_EXIT_RESTART);
	assert_int_equal(at, 90);
	assert_null(drv_pair_due(&t, 79, &next));
	assert_int_equal(next, 80);
	assert_ptr_equal(drv_pair_due(&t, 80, &next), b);
	assert_int_equal(next, 90);
	assert_ptr_equal(drv_pair_due(&t, 95, &next), a); /* both due: table order */
	assert_true(next == UINT64_MAX);
	/* c deferred waits for an event, then comes in table order with the others */
	struct drv_status s = status(DRV_ST_DEFER, "");
	assert_int_equal(drv_pair_result(&t, c, &s, 0), DRV_PAIR_DEFERRED);
	assert_false(c->due);
	assert_ptr_equal(drv_pair_due(&t, 95, &next), a);
	drv_pair_spawned(&t, a, 95);
	drv_pair_spawned(&t, b, 95);
	assert_null(drv_pair_due(&t, 95, &next));
	assert_int_equal(drv_pair_event(&t), 1);
	assert_ptr_equal(drv_pair_due(&t, 95, &next), c);
	drv_pair_spawned(&t, c, 96);
	assert_false(c->due);
	assert_null(drv_pair_due(&t, 96, &next));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rule_every_field),  cmocka_unit_test(test_rule_defaults),
	    cmocka_unit_test(test_rule_match_errors), cmocka_unit_test(test_rule_field_errors),
	    cmocka_unit_test(test_rule_names),	      cmocka_unit_test(test_match_specificity),
	    cmocka_unit_test(test_match_priority),    cmocka_unit_test(test_match_acpi),
	    cmocka_unit_test(test_acpi_line),	      cmocka_unit_test(test_pci_config),
	    cmocka_unit_test(test_status_lines),      cmocka_unit_test(test_status_garbage),
	    cmocka_unit_test(test_pair_table),	      cmocka_unit_test(test_pair_ready),
	    cmocka_unit_test(test_pair_defer),	      cmocka_unit_test(test_pair_unsupported_fatal),
	    cmocka_unit_test(test_pair_probe_crash),  cmocka_unit_test(test_pair_bound_restart),
	    cmocka_unit_test(test_pair_policies),     cmocka_unit_test(test_pair_due_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
