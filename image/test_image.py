"""`make image-test`: boot the ceremony ISO in QEMU and check it from the inside.

Headless, with no network device. Boots through the ISO's own BIOS boot path (GRUB
menu -> "Ceremony (rehearsal)"), editing that entry over the serial console to add
``ceremony.selftest`` so the image runs its self-test instead of waiting for a person.
The self-test writes its results to a second virtual disk (FAT, label CTEST), which is
read back here with mtools, and the assertions run on the host. Then the same file boots
again as a USB stick on UEFI firmware (OVMF) until systemd starts: both boot paths of the
hybrid ISO, DVD on BIOS and stick on UEFI.

KVM is tried first; when the guest does not reach its kernel in time (on some build
machines /dev/kvm opens but the guest hangs) the run starts over under TCG.
Usage: test_image.py ISO [--out DIR] [--accel kvm|tcg] [--tcg-cpu MODEL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ceremony.room.image_identity import measured_text, word_code

KVM_KERNEL_DEADLINE_S = 45.0
RUN_DEADLINE_S = 2400.0
MEMORY_MIB = 4096
SERIAL_EXTRA = " console=ttyS0,115200 loglevel=6 ceremony.selftest"
MIN_TOUR_PAGES = 10
ISO_LIMIT_BYTES = int(1.2 * 2**30)
OVMF_FIRMWARE = (Path("/usr/share/ovmf/OVMF.fd"), Path("/usr/share/qemu/OVMF.fd"))


class Failed(Exception):
    pass


class Serial:
    """The guest's first serial port, through a Unix socket; keeps a log with host times."""

    def __init__(self, path: Path, log: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                self.sock.connect(str(path))
                break
            except OSError:
                time.sleep(0.1)
        self.sock.settimeout(0.2)
        self.text = ""
        self.log = log.open("w", encoding="utf-8", errors="replace")
        self.started = time.monotonic()
        self.marks: dict[str, float] = {}

    def pump(self) -> bool:
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return True
        except OSError:
            return False
        if not data:
            return False
        chunk = data.decode("utf-8", errors="replace")
        self.text += chunk
        self.log.write(chunk)
        self.log.flush()
        return True

    def wait_for(self, pattern: str, deadline_s: float) -> bool:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if re.search(pattern, self.text):
                self.marks.setdefault(pattern, time.monotonic() - self.started)
                return True
            if not self.pump():
                return bool(re.search(pattern, self.text))
        return False

    def send(self, keys: str) -> None:
        for ch in keys:
            self.sock.sendall(ch.encode())
            time.sleep(0.02)


def accel_args(accel: str, tcg_cpu: str) -> list[str]:
    # TCG's default CPU (qemu64) lacks SSSE3/SSE4: PySide6's libshiboken6 dies on it with an
    # invalid opcode before printing anything. "max" is every feature TCG can emulate.
    if accel == "kvm":
        return ["-accel", "kvm", "-cpu", "host"]
    return ["-accel", "tcg", "-cpu", tcg_cpu]


def qemu_command(
    iso: Path, disk: Path, serial: Path, accel: str, tcg_cpu: str = "max"
) -> list[str]:
    return [
        "nice",
        "-n",
        "15",
        "qemu-system-x86_64",
        *accel_args(accel, tcg_cpu),
        "-m",
        str(MEMORY_MIB),
        "-smp",
        "2",
        "-nic",
        "none",  # no network device at all
        "-display",
        "none",
        "-vga",
        "std",
        "-drive",
        f"file={iso},media=cdrom,readonly=on,if=ide,index=0",
        "-drive",
        f"file={disk},format=raw,if=virtio",
        "-boot",
        "d",
        "-no-reboot",
        "-serial",
        f"unix:{serial},server=on,wait=off",
        "-monitor",
        "none",
    ]


def make_results_disk(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(512 << 20)
    subprocess.run(["mkfs.vfat", "-n", "CTEST", str(path)], check=True, capture_output=True)


def boot(iso: Path, work: Path, accel: str, tcg_cpu: str = "max") -> tuple[bool, Serial, float]:
    """Boots once. Returns (reached the kernel, serial, wall seconds until QEMU exited)."""
    disk = work / "results.img"
    make_results_disk(disk)
    sock = work / "serial.sock"
    sock.unlink(missing_ok=True)
    started = time.monotonic()
    command = qemu_command(iso, disk, sock, accel, tcg_cpu)
    qemu = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=(work / f"qemu-{accel}.err").open("w")
    )
    serial = Serial(sock, work / f"serial-{accel}.log")
    try:
        if not serial.wait_for(r"Ceremony \(rehearsal\)", 30.0 if accel == "kvm" else 180.0):
            if accel == "kvm":  # the probe: a hanging KVM guest shows nothing at all
                return False, serial, time.monotonic() - started
            raise Failed("the GRUB menu did not appear on the serial console")
        boot_rehearsal_with(serial, SERIAL_EXTRA)
        deadline = KVM_KERNEL_DEADLINE_S if accel == "kvm" else 300.0
        if not serial.wait_for(r"Linux version", deadline):
            qemu.kill()
            qemu.wait()
            return False, serial, time.monotonic() - started
        while qemu.poll() is None and time.monotonic() - started < RUN_DEADLINE_S:
            serial.pump()
        if qemu.poll() is None:
            qemu.kill()
            raise Failed(f"the self-test did not finish within {RUN_DEADLINE_S:.0f} s")
        serial.pump()
        return True, serial, time.monotonic() - started
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()


def boot_rehearsal_with(serial: Serial, extra: str) -> None:
    """At the GRUB menu: pick "Ceremony (rehearsal)", append ``extra`` to its linux line, boot."""
    time.sleep(0.5)
    serial.send("\x1b[B")  # down
    time.sleep(0.5)
    serial.send("e")
    time.sleep(1.0)
    # The editor shows "setparams ...", an empty line, then "linux ...": go to its end.
    serial.send("\x0e\x0e\x05")  # ctrl-n, ctrl-n, ctrl-e
    serial.send(extra)
    time.sleep(0.5)
    serial.send("\x18")  # ctrl-x: boot
    serial.marks["boot chosen"] = time.monotonic() - serial.started


def uefi_stick_probe(iso: Path, work: Path, accel: str, tcg_cpu: str) -> float:
    """Boot the same file as a USB stick on UEFI firmware (OVMF) until systemd greets:
    firmware -> GRUB (EFI) -> kernel -> live-boot finds the squashfs on the stick -> init.
    Returns the seconds from power-on to systemd's welcome."""
    firmware = next((f for f in OVMF_FIRMWARE if f.exists()), None)
    if firmware is None:
        raise Failed("no UEFI firmware for QEMU: apt-get install ovmf")
    sock = work / "uefi-serial.sock"
    sock.unlink(missing_ok=True)
    command = [
        "nice", "-n", "15", "qemu-system-x86_64", *accel_args(accel, tcg_cpu),
        "-m", str(MEMORY_MIB),
        "-smp", "2", "-nic", "none", "-display", "none", "-vga", "std", "-bios", str(firmware),
        "-drive", f"if=none,id=stick,format=raw,readonly=on,file={iso}",
        "-device", "qemu-xhci", "-device", "usb-storage,drive=stick,removable=on",
        "-no-reboot", "-serial", f"unix:{sock},server=on,wait=off", "-monitor", "none",
    ]  # fmt: skip
    qemu = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                            stderr=(work / "qemu-uefi.err").open("w"))  # fmt: skip
    serial = Serial(sock, work / "serial-uefi.log")
    try:
        if not serial.wait_for(r"Ceremony \(rehearsal\)", 300.0):
            raise Failed("UEFI: the GRUB menu did not appear (is the EFI boot image on the ISO?)")
        boot_rehearsal_with(serial, " console=ttyS0,115200 loglevel=6 systemd.show_status=1")
        if not serial.wait_for(r"Linux version", 300.0):
            raise Failed("UEFI: GRUB did not start the kernel")
        if not serial.wait_for(r"Welcome to .*Debian", 900.0):
            raise Failed("UEFI: the live system did not reach init from the USB stick")
        return serial.marks[r"Welcome to .*Debian"]
    finally:
        qemu.kill()
        qemu.wait()


def read_results(work: Path) -> Path:
    out = work / "results"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    subprocess.run(
        ["mcopy", "-s", "-n", "-i", str(work / "results.img"), "::/*", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def check(results: Path, iso: Path, boot_log: str, notes: list[str]) -> None:
    facts, x = results / "facts", results / "x"
    if not facts.is_dir() or not x.is_dir():
        raise Failed("the self-test wrote no results to the second disk")

    check_isolation(facts, notes)
    host_sha = check_measured_hash(facts, iso, boot_log, notes)
    check_environment(x, host_sha)
    check_rehearsal(x, host_sha, notes)
    check_tour(x, notes)
    check_printers(facts, notes)
    check_camera_and_home(x, notes)


def check_isolation(facts: Path, notes: list[str]) -> None:
    """Booted through the rehearsal entry, with no network, swap, disk or radio."""
    cmdline = (facts / "cmdline.txt").read_text()
    expect(
        "boot=live toram" in cmdline and "ceremony.operations.rehearsal" in cmdline,
        f"not booted through the menu's rehearsal entry: {cmdline}",
    )
    links = [link["ifname"] for link in json.loads((facts / "links.json").read_text())]
    expect(links == ["lo"], f"network interfaces: {links} (only lo expected)")

    swaps = (facts / "swaps.txt").read_text().splitlines()[1:]
    expect(not swaps, f"swap in use: {swaps}")
    expect(
        "masked" in (facts / "swap-units.txt").read_text()
        or "swap.target" not in (facts / "swap-units.txt").read_text(),
        "swap.target is not masked",
    )

    mounts = flatten(json.loads((facts / "mounts.json").read_text())["filesystems"])
    root = next(m for m in mounts if m["target"] == "/")
    expect(root["fstype"] == "overlay", f"root is {root['fstype']}, not the live overlay")
    disks = [m for m in mounts if re.match(r"/dev/(sd|vd|sr|hd|nvme|mmcblk)", m["source"] or "")]
    expect(not disks, f"disks mounted: {[(m['source'], m['target']) for m in disks]}")
    squash = [m for m in mounts if m["fstype"] == "squashfs"]
    expect(bool(squash) and all(opt_ro(m) for m in squash), "the squashfs root is not read-only")
    # A source under /dev/ that is a RAM file system is no disk: with `toram`, live-boot
    # keeps its copy of the boot medium in a tmpfs whose source it names "/dev/shm".
    writable_block = [
        m
        for m in mounts
        if (m["source"] or "").startswith("/dev/")
        and not opt_ro(m)
        and m["fstype"] not in ("devtmpfs", "devpts", "mqueue", "hugetlbfs", "tmpfs")
    ]
    expect(not writable_block, f"block devices mounted writable: {writable_block}")
    for target in ("/tmp", "/home", "/var/spool/cups"):  # noqa: S108 - mount points in the guest
        m = next((m for m in mounts if m["target"] == target), None)
        expect(m is not None and m["fstype"] == "tmpfs", f"{target} is not on tmpfs")

    rfkill = json.loads((facts / "rfkill.json").read_text() or '{"rfkilldevices": []}')
    radios = rfkill.get("rfkilldevices", [])
    expect(all(r.get("soft") == "blocked" for r in radios), f"radios not blocked: {radios}")
    notes.append(f"rfkill devices in the VM: {len(radios)} (all blocked)")
    expect(
        "No such file" in (facts / "net-modules.txt").read_text(),
        "network drivers are present in the image",
    )


def check_measured_hash(facts: Path, iso: Path, boot_log: str, notes: list[str]) -> str:
    """The ISO's size, and its SHA-256 as measured in the guest and shown before the app."""
    size = iso.stat().st_size
    expect(size <= ISO_LIMIT_BYTES, f"the ISO is {size} bytes, over {ISO_LIMIT_BYTES}")
    notes.append(f"ISO {size} bytes ({size / 2**20:.0f} MiB, limit 1.2 GiB)")
    ident = dict(
        line.split("=", 1)
        for line in (facts / "ceremony-image.txt").read_text().splitlines()
        if "=" in line
    )
    host_sha = hashlib.sha256(iso.read_bytes()).hexdigest()
    expect(
        ident.get("iso_sha256") == host_sha,
        f"image measured itself as {ident.get('iso_sha256')}, host says {host_sha}",
    )
    # The boot screen, before the app: the measured hash as hex and as the word code.
    shown = measured_text(host_sha)
    expect(shown in boot_log, f"the boot screen did not show '{shown}' before the app")
    order = [int(v) if v.isdigit() else 0 for v in (facts / "boot-order.txt").read_text().split()]
    shown_at, app_at = [*order, 0, 0][:2]
    expect(
        0 < shown_at <= app_at,
        f"the hash screen ended at {shown_at} us, the app started at {app_at} us (boot clock)",
    )
    notes.append(f"boot screen showed the measured hash and words: {word_code(host_sha)}")
    return host_sha


def check_environment(x: Path, host_sha: str) -> None:
    """The environment check ran and reports no network, no swap and the image's hash."""
    env = (x / "environment.txt").read_text()
    expect("exit=0" in env, "the environment check failed to run")
    rows = {r.split("\t")[1]: r.split("\t") for r in env.splitlines() if r.count("\t") == 2}
    expect(rows.get("Network", ["", "", ""])[0] == "ok", f"network check: {rows.get('Network')}")
    expect(rows.get("Swap", ["", "", ""])[0] == "ok", f"swap check: {rows.get('Swap')}")
    image_rows = [r for r in rows.values() if host_sha in r[2]]
    expect(bool(image_rows), "the environment check does not show the ISO SHA-256")
    expect(
        image_rows[0][0] == "ok" and "no disk mounted" in image_rows[0][2],
        f"the environment check's System image row: {image_rows[0]}",
    )


def check_rehearsal(x: Path, host_sha: str, notes: list[str]) -> None:
    """A rehearsal made real PDFs and its shares combine to its fingerprint."""
    rehearse = (x / "rehearse.txt").read_text()
    expect("exit=0" in rehearse, f"ceremony rehearse failed: {rehearse[-400:]}")
    fp = re.search(r"custodian fingerprint:\s+(\S+)", rehearse)
    expect(
        (x / "combine.exit").read_text().strip() == "0",
        f"ceremony combine failed: {(x / 'combine.err').read_text()[-300:]}",
    )
    rebuilt = json.loads((x / "combine.json").read_text())["fingerprint"]["custodian"]
    expect(
        fp is not None and rebuilt == fp.group(1),
        f"rebuilt fingerprint {rebuilt} != rehearsal's {fp and fp.group(1)}",
    )
    for pdf in ("share-sheets.pdf", "ceremony-record.pdf"):
        expect((x / "rehearsal" / pdf).read_bytes()[:5] == b"%PDF-", f"{pdf} is not a PDF")
    # The ceremony record prints the hash and the word code the boot screen showed.
    record = subprocess.run(
        ["pdftotext", "-raw", str(x / "rehearsal" / "ceremony-record.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expect(  # the PDF wraps the 64 hex digits anywhere: compare without white space
        "".join(measured_text(host_sha).split()) in "".join(record.split()),
        "the ceremony record does not print the measured hash and its words",
    )
    notes.append("ceremony record: System image row prints the measured hash and its words")


def check_tour(x: Path, notes: list[str]) -> None:
    """The screenshot tour ran under the image's X."""
    tour_log = (x / "tour.log").read_text()
    pages = sorted((x / "tour").glob("*.png"))
    expect(
        "exit=0" in tour_log and len(pages) >= MIN_TOUR_PAGES,
        f"screenshot tour: {len(pages)} pages; {tour_log[-300:]}",
    )
    expect(all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages), "a tour page is no PNG")
    notes.append(f"screenshot tour under the image's X: {len(pages)} pages")


def check_printers(facts: Path, notes: list[str]) -> None:
    """USB printer set-up is enabled and stays on loopback."""
    printers = (facts / "printers.txt").read_text()
    expect(
        "exit=0" in printers and "No USB printer found" in printers,
        f"ceremony printers --set-up in the image: {printers[-300:]}",
    )
    unit = (facts / "printers-unit.txt").read_text()
    expect(
        unit.startswith("enabled")
        and "dns-sd = disable" in unit
        and "interface = loopback" in unit
        and "avahi-daemon masked inactive" in unit,
        f"USB printer set-up in the image: {unit}",
    )
    notes.append("USB printers: set-up service enabled, ipp-usb loopback only, none attached")


def check_camera_and_home(x: Path, notes: list[str]) -> None:
    """One camera frame through Qt, and a painted full-screen home screen."""
    camera = (x / "camera.txt").read_text()
    size = re.search(r"frame: (\d+)x(\d+)", camera)
    expect("exit=0" in camera and size is not None, f"no camera frame through Qt: {camera[-300:]}")
    look_at_frame(x / "camera.png", notes)
    name = re.search(r"camera: (.*)", camera)
    notes.append(f"camera (V4L2 test driver, {name and name.group(1)}): one frame through Qt")

    home = x / "home.png"
    expect(home.exists(), "no home-screen picture")
    look_at_home(home, notes)


def look_at_home(path: Path, notes: list[str]) -> None:
    """The home screen filled the screen and shows a painted window, not a blank one."""
    from PIL import Image

    with Image.open(path) as img:
        rgb = img.convert("RGB")
        width, height = rgb.size
        colours = rgb.getcolors(maxcolors=1 << 16)
        small = rgb.resize((64, 48))
    distinct = len(colours) if colours is not None else 1 << 16
    expect(width >= 800 and height >= 600, f"home screen is {width}x{height}")
    expect(distinct >= 8, f"home screen has {distinct} colours: nothing painted")
    # Full screen: the app's background reaches every corner (X's own root is black).
    corners = [small.getpixel(p) for p in ((0, 0), (63, 0), (0, 47), (63, 47))]
    expect(all(c != (0, 0, 0) for c in corners), f"black corners {corners}: app not full screen")
    notes.append(f"home screen {width}x{height}, {distinct} colours")


def look_at_frame(path: Path, notes: list[str]) -> None:
    """A real picture came from the camera (vivid paints colour bars), not an empty frame."""
    from PIL import Image

    with Image.open(path) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
        width, height = img.size
    distinct = len(colours) if colours is not None else 1 << 16
    expect(
        width >= 320 and height >= 240 and distinct >= 6,
        f"camera frame {width}x{height} with {distinct} colours",
    )
    notes.append(f"camera frame {width}x{height}, {distinct} colours")


def flatten(fs: list[dict[str, object]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for m in fs:
        out.append({k: m.get(k) for k in ("target", "source", "fstype", "options")})  # type: ignore[misc]
        out += flatten(m.get("children", []))  # type: ignore[arg-type]
    return out


def opt_ro(m: dict[str, str]) -> bool:
    return "ro" in (m["options"] or "").split(",")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


HOST_TOOLS = {"qemu-system-x86_64": "qemu-system-x86", "mcopy": "mtools",
              "mkfs.vfat": "dosfstools", "pdftotext": "poppler-utils"}  # fmt: skip


def install_host_tools() -> str | None:
    """QEMU, mtools, dosfstools and OVMF: installed when missing (as root), else what to do."""
    path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    missing = [pkg for tool, pkg in HOST_TOOLS.items() if shutil.which(tool, path=path) is None]
    if not any(f.exists() for f in OVMF_FIRMWARE):
        missing.append("ovmf")
    if not missing:
        return None
    if os.geteuid() != 0:
        return f"missing tools; as root run: apt-get install {' '.join(missing)}"
    print(f"image-test: installing {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    return None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("iso", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/image-test"))
    parser.add_argument("--accel", choices=("kvm", "tcg"))
    parser.add_argument("--tcg-cpu", default="max", help="QEMU CPU model under TCG")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not args.iso.exists():
        print(f"image-test: {args.iso} does not exist; run 'make image' first", file=sys.stderr)
        return 2
    problem = install_host_tools()
    if problem:
        print(f"image-test: {problem}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="image-test-", dir="/var/tmp"))
    wall0 = time.monotonic()
    notes: list[str] = []
    try:
        accels = [args.accel] if args.accel else (["kvm", "tcg"] if kvm_usable() else ["tcg"])
        for accel in accels:
            reached, serial, seconds = boot(args.iso, work, accel, args.tcg_cpu)
            if reached:
                break
            notes.append(
                f"{accel.upper()} probe: the guest did not reach its boot menu and "
                f"kernel in time ({time.monotonic() - wall0:.0f} s); starting over"
            )
        else:
            raise Failed("the guest never reached its kernel")
        notes.append(f"accelerator: {accel.upper()}")
        results = read_results(work)
        shutil.rmtree(args.out / "results", ignore_errors=True)
        shutil.copytree(results, args.out / "results")
        shutil.copy(work / f"serial-{accel}.log", args.out / "serial.log")
        check(results, args.iso, serial.text, notes)
        uefi_s = uefi_stick_probe(args.iso, work, accel, args.tcg_cpu)
        shutil.copy(work / "serial-uefi.log", args.out / "serial-uefi.log")
        notes.append(f"UEFI (OVMF), the ISO as a USB stick: power-on to systemd {uefi_s:.0f} s")
        rows = timings(results, serial, accel, seconds, time.monotonic() - wall0)
        rows.insert(
            3,
            {
                "name": "uefi_stick_to_init",
                "value": uefi_s,
                "unit": "s",
                "note": f"{accel.upper()}: OVMF, ISO as USB stick, power-on to systemd",
            },
        )
    except Failed as err:
        print(f"image-test: FAILED: {err}", file=sys.stderr)
        print(f"image-test: serial log and results in {work}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"image-test: {note}")
    (args.out / "bench.json").write_text(json.dumps(rows, indent=2) + "\n")
    for r in rows:
        print(f"{'image':<10} {r['name']:<28}  {r['value']:>12.4g} {r['unit']:<8} {r['note']}")
    print("image-test: 1 passed, 0 failed")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def timings(
    results: Path, serial: Serial, accel: str, boot_s: float, wall_s: float
) -> list[dict[str, object]]:
    paint = float((results / "x" / "first-paint.txt").read_text().split()[0])
    menu_at = serial.marks[r"Ceremony \(rehearsal\)"]
    loading = serial.marks["Linux version"] - serial.marks["boot chosen"]
    mode = accel.upper()
    return [
        {
            "name": "kernel_to_first_paint",
            "value": paint,
            "unit": "s",
            "note": f"{mode}: kernel start to the app window shown (guest uptime)",
        },
        {
            "name": "power_on_to_first_paint",
            "value": menu_at + loading + paint,
            "unit": "s",
            "note": f"{mode}: firmware to menu + kernel and initrd load + kernel to "
            "first paint (time spent at the menu left out)",
        },
        {
            "name": "selftest_vm_wall",
            "value": boot_s,
            "unit": "s",
            "note": f"{mode}: QEMU start to power-off",
        },
        {"name": "image_test_wall", "value": wall_s, "unit": "s", "note": "whole make image-test"},
    ]


def kvm_usable() -> bool:
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


if __name__ == "__main__":
    sys.exit(main())
