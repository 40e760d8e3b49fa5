"""The screen console (docs/console.md): what the shell prints reaches the
framebuffer, drawn by the kernel's renderer thread outside the log lock.

The shell prints 70 lines of 'H', each of a known length, more than the
48 text rows of the 1024x768 screen. QEMU's screendump is read until the
screen settles on the end of the flood: each 16-pixel text row's length
is read off its rightmost lit pixel (8 pixels a cell), and the rows must
hold the flood's last 40 lines in order, above the shell's status line
and prompt: nothing drawn out of order, nothing missing from the tail,
whatever the renderer skipped while catching up."""
import os
import time

from qemu import LOG_DIR, boot
from test_session import login_session

CELL_W, CELL_H = 8, 16
LINES = 70


def length(i):
    return 1 + (i * 7) % 23


def read_ppm(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, dims, maxval, pixels = data.split(b'\n', 3)
    assert magic == b'P6' and maxval == b'255', data[:32]
    w, h = map(int, dims.split())
    return w, h, pixels


def row_lengths(w, h, pixels):
    """Cells up to the rightmost lit pixel of each text row (0: blank)."""
    out = []
    for row in range(h // CELL_H):
        right = -1
        for y in range(row * CELL_H, (row + 1) * CELL_H):
            line = pixels[y * w * 3:(y + 1) * w * 3]
            stripped = line.rstrip(b'\x00')
            right = max(right, (len(stripped) + 2) // 3 - 1)
        out.append(right // CELL_W + 1 if right >= 0 else 0)
    return out


def contains_run(lens, run):
    return any(lens[i:i + len(run)] == run for i in range(len(lens) - len(run) + 1))


def test_flood_tail_is_on_screen():
    with boot('', 'screen', stdin=True, monitor=True) as vm:
        vm.wait_for(r'console: framebuffer 1024x768, 32 bpp', timeout=120)
        s = login_session(vm, 'root', 'redbear', '# ')
        words = ' '.join('H' * length(i) for i in range(1, LINES + 1))
        out, rc = s.run('for w in %s; do echo $w; done' % words)
        assert rc == 0 and out.count('H\n') >= LINES, out
        want = [length(i) for i in range(LINES - 39, LINES + 1)]
        path = os.path.join(LOG_DIR, 'screen.ppm')
        deadline = time.monotonic() + 60
        lens = []
        while time.monotonic() < deadline:
            if os.path.exists(path):
                os.unlink(path)
            vm.monitor('screendump %s' % path)
            if os.path.exists(path):
                w, h, pixels = read_ppm(path)
                assert (w, h) == (1024, 768), (w, h)
                lens = row_lengths(w, h, pixels)
                if contains_run(lens, want):
                    break
            time.sleep(0.2)  # a polling period: the renderer draws when it is poked
        assert contains_run(lens, want), (lens, want)
        # below the flood: the status line the harness printed, then the prompt
        at = next(i for i in range(len(lens)) if lens[i:i + len(want)] == want)
        tail = [n for n in lens[at + len(want):] if n]
        assert len(tail) >= 2 and all(n < 40 for n in tail), (lens, tail)
