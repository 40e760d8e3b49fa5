"""acpid's device list (acpi:/devices, lib/acpi/devs.c) names devices as
ACPICA does, on real firmware.

For each of the 12 corpus machines (../shared/acpi-corpus/*/) and each QEMU
fixture (tests/fixtures/qemu/*/), `aml-inspect --devices DIR` prints the
lines acpid would serve (regions reading zero, as aml-inspect's other modes).
Every line must be a namespace path and 1..9 ids of 1..8 upper-case
letters, digits or '_', each path once; and a listed device's first id must
be its _HID as `aml-inspect --full DIR` prints it (the output
tests/tools/test_aml_oracle.py holds to ACPICA's acpiexec), whenever that
_HID is a usable id. Every machine lists devices, and every QEMU machine
its PS/2 keyboard (PNP0303), which driver-manager starts ps2d for.
"""
import re

import pytest

from test_prt_corpus import INPUTS, run, tool  # noqa: F401 (tool is a fixture)

ID = re.compile(r'^[A-Z0-9_]{1,8}$')
PATH = re.compile(r'^\\[A-Z0-9_.]+$')


@pytest.mark.parametrize('name,d', INPUTS, ids=[n for n, _ in INPUTS])
def test_device_ids_match_acpica(tool, name, d):  # noqa: F811
    full, _ = run(tool, '--full', str(d))
    devs, err = run(tool, '--devices', str(d))
    hids = {}
    for l in full:
        f = l.split()
        if f[0] == 'hid' and len(f) == 3:
            hids[f[1]] = f[2]
    assert devs, (name, err)
    seen = set()
    for l in devs:
        f = l.split()
        assert PATH.match(f[0]) and f[0] not in seen, l
        seen.add(f[0])
        assert 2 <= len(f) <= 10 and all(ID.match(i) for i in f[1:]), l
        hid = hids.get(f[0])
        if hid and ID.match(hid):
            assert f[1] == hid, (l, hid)
    if name.startswith('qemu/'):
        assert any(l.split()[1:2] == ['PNP0303'] for l in devs), devs
