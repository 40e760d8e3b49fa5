"""virtio-net (user/virtio-netd) through driver-manager on q35, on QEMU's
user network (slirp: the guest is 10.0.2.15, the gateway 10.0.2.2 answers
ARP from 52:55:0a:00:02:02).

driver-manager starts virtio-netd for the transitional virtio-net function
(1af4:1000, driven through its modern interface); it comes up on MSI-X, one
vector per queue. Logged in as root: `ls net:/` lists eth0,
`cat net:/eth0/mac` is the MAC QEMU was given, and `arping -c 3 10.0.2.2`
gets three replies from the gateway's MAC (frames out through the transmit
queue, back through the receive queue and the driver's backlog); an address
nobody has times out (exit 1). A 3-byte write is refused, a 64-byte one
sent. A blocking read
(dd in the background) waits until a reply arrives and gets one whole
frame; a waiting read whose caller is killed takes no frame.

Restart: the driver killed with SIGKILL is restarted by driver-manager,
serves net: again and arping works. SIGTERM resets the device and ends the
driver with exit 0 (driver-manager leaves it stopped), and net: is gone."""
import re

from qemu import boot
from test_session import login_session

ADDR = '0000:00:05.0'
MAC = '52:54:00:12:34:56'
GATEWAY_MAC = '52:55:0a:00:02:02'


def test_virtio_net_arping():
    # -netdev also keeps QEMU from adding its default NIC.
    extra = ['-netdev', 'user,id=n0',
             '-device', 'virtio-net-pci,netdev=n0,mac=%s,addr=05.0' % MAC]
    with boot('', 'virtio-net', smp=2, stdin=True, extra=extra) as vm:
        m = vm.wait_for(r'virtio-netd: %s: eth0 ([0-9a-f:]{17}), (\d+) receive buffers, (.*)\n'
                        % re.escape(ADDR), timeout=120)
        assert m.group(1) == MAC, m.group(0)
        assert m.group(3).startswith('msix 2'), m.group(0)
        m = vm.wait_for(r'driver-manager: %s: virtio-net ready \(msix \d+\) in \d+ ms, pid (\d+)\n'
                        % re.escape(ADDR), timeout=60, from_start=True)
        pid = m.group(1)
        vm.wait_for(r'login: ', timeout=60, from_start=True)
        vm.send(b'\r')  # a fresh prompt: the driver's lines came after the first
        s = login_session(vm, 'root', 'redbear', '# ')

        out, rc = s.run('lspci')
        assert '[1af4:1000]' in out, out  # transitional
        out, rc = s.run('ls net:/')
        assert rc == 0 and 'eth0' in out.split(), out
        out, rc = s.run('cat net:/eth0/mac')
        assert rc == 0 and out.strip() == MAC, out
        out, rc = s.run('arping -c 3 10.0.2.2', timeout=30)
        print(out)
        replies = re.findall(r'reply from 10\.0\.2\.2 at ([0-9a-f:]{17}) in (\d+) us', out)
        assert rc == 0 and len(replies) == 3, out
        assert all(mac == GATEWAY_MAC for mac, _ in replies), out
        out, rc = s.run('arping -c 1 10.0.2.99', timeout=30)
        assert rc == 1 and 'no reply from 10.0.2.99' in out, out

        out, rc = s.run('echo hi > /tmp/x; dd if=/tmp/x of=net:/eth0')
        assert rc != 0 and 'Invalid argument' in out, out

        # A blocking read: dd waits in the driver until arping's replies come.
        vm.send(b'dd if=net:/eth0 of=/tmp/frame bs=2048 count=1 &\r')
        vm.wait_for(r'\[\d+\]', timeout=30)
        out, rc = s.run('arping -c 3 10.0.2.2', timeout=30)
        assert len(re.findall(r'reply from 10\.0\.2\.2 at', out)) >= 2, out
        for _ in range(50):
            out, rc = s.run('wc -c /tmp/frame')
            m = re.search(r'(\d+)\s+/tmp/frame', out)
            if m and m.group(1) != '0':
                break
        assert m and 42 <= int(m.group(1)) <= 64, out  # slirp pads its replies to 64
        out, rc = s.run('hexdump -C /tmp/frame')
        # to us, from the gateway, EtherType ARP
        assert re.search(r'52 54 00 12 34 56 52 55\s+0a 00 02 02 08 06', out), out
        out, rc = s.run('dd if=/tmp/frame of=net:/eth0')  # one whole frame: sent
        assert rc == 0 and '64 bytes copied' in out, out

        # A waiting read whose caller is killed is dropped: the next reply
        # goes to arping, not to the dead reader.
        vm.send(b'dd if=net:/eth0 of=/tmp/frame2 bs=2048 count=1 &\r')
        m = vm.wait_for(r'\[(\d+)\]', timeout=30)
        out, rc = s.run('sleep 1; kill %s' % m.group(1))  # its read waits in the driver
        assert rc == 0, out
        out, rc = s.run('arping -c 1 10.0.2.2', timeout=30)
        assert rc == 0 and 'reply from 10.0.2.2 at %s' % GATEWAY_MAC in out, out

        # SIGKILL: driver-manager restarts it; it serves net: again.
        out, rc = s.run('kill -9 %s' % pid)
        assert rc == 0, out
        m = vm.wait_for(r'driver-manager: %s: virtio-net ready \(msix \d+\) in (\d+) ms, '
                        r'pid (?!%s\b)(\d+)\n' % (re.escape(ADDR), pid), timeout=60,
                        from_start=True)
        print('virtio-netd killed, running again in %s ms' % m.group(1))
        pid = m.group(2)
        out, rc = s.run('arping -c 1 10.0.2.2', timeout=30)
        assert rc == 0 and 'reply from 10.0.2.2 at %s' % GATEWAY_MAC in out, out

        # SIGTERM: the device is reset, the driver exits 0 and stays stopped.
        out, rc = s.run('kill %s' % pid)
        assert rc == 0, out
        vm.wait_for(r'virtio-netd: %s: SIGTERM: device reset, exiting 0' % re.escape(ADDR),
                    timeout=30, from_start=True)
        for _ in range(50):
            out, rc = s.run('cat net:/eth0/mac')
            if rc != 0:
                break
        assert rc != 0, out


def test_virtio_net_modern_intx():
    """A modern-only function (1af4:1041) without MSI-X (vectors=0): the
    driver falls back to its legacy interrupt line and arping still works."""
    extra = ['-netdev', 'user,id=n0',
             '-device', 'virtio-net-pci,netdev=n0,mac=%s,addr=05.0,disable-legacy=on,vectors=0'
             % MAC]
    with boot('', 'virtio-net-intx', smp=2, stdin=True, extra=extra) as vm:
        m = vm.wait_for(r'virtio-netd: %s: eth0 ([0-9a-f:]{17}), (\d+) receive buffers, (.*)\n'
                        % re.escape(ADDR), timeout=120)
        assert m.group(1) == MAC and not m.group(3).startswith('msix'), m.group(0)
        vm.wait_for(r'driver-manager: %s: virtio-net ready \((intx|msi)\b[^)]*\) in \d+ ms'
                    % re.escape(ADDR), timeout=60, from_start=True)
        vm.wait_for(r'login: ', timeout=60, from_start=True)
        vm.send(b'\r')
        s = login_session(vm, 'root', 'redbear', '# ')
        out, rc = s.run('lspci')
        assert '1af4:1041' in out, out
        out, rc = s.run('arping -c 2 10.0.2.2', timeout=30)
        assert rc == 0 and len(re.findall(r'reply from 10\.0\.2\.2 at %s' % GATEWAY_MAC,
                                          out)) == 2, out
