import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402


@pytest.fixture(scope='session')
def default_iso():
    return qemu.build_iso()
