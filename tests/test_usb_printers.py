"""USB printers get print queues with no network: IPP over USB (ipp-usb) and the usb backend."""

from __future__ import annotations

import secrets
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from ceremony.commands import CommandResult, run_command
from ceremony.printers import cups as printing
from ceremony.printers.usb import (
    _find_text_attribute,
    choose_driver,
    find_printers,
    ipp_make_and_model,
    loopback_ports,
    parse_usb_devices,
    queue_name,
    set_up_printers,
)
from ceremony.room.printer_check import read_printers
from tests.cups_support import QUEUE, cups, cups_pdf_out_dir  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parent.parent

TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:EA60 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0100007F:EA61 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 00000000:EA62 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1
   3: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1
   4: garbage
"""
TCP6 = """\
  sl  local_address                         remote_address                        st
   0: 00000000000000000000000001000000:EA63 00000000000000000000000000000000:0000 0A 0 0 0
   1: 00000000000000000000000000000000:EA64 00000000000000000000000000000000:0000 0A 0 0 0
"""

# What `lpinfo --include-schemes usb -l -v` prints for two USB printers.
LPINFO_LONG = """\
Device: uri = usb://Brother/HL-L2350DW%20series?serial=E78123A1N123456
        class = direct
        info = Brother HL-L2350DW series
        make-and-model = Brother HL-L2350DW series
        device-id = MFG:Brother;CMD:PJL,PCL,PCLXL,URF;MDL:HL-L2350DW series;CLS:PRINTER;
        location =
Device: uri = usb://HP/LaserJet%20M110w?serial=VNB1234567
        class = direct
        info = HP LaserJet M110w
        make-and-model = HP LaserJet M110w
        device-id = MFG:HP;MDL:LaserJet M110w;CMD:PJL,PWGRaster,URF;CLS:PRINTER;
        location =
Device: uri = serial:/dev/ttyS0?baud=115200
        class = serial
        info = Serial Port #1
        make-and-model = Unknown
        device-id =
        location =
"""

BROTHER_DRIVERS = """\
drv:///brlaser.drv/brl2350.ppd Brother HL-L2350DW series, using brlaser v6
raw Raw Queue
everywhere IPP Everywhere
"""
HP_DRIVERS = """\
drv:///hpcups.drv/hp-laserjet_m110w.ppd HP LaserJet M110w, hpcups 3.22.10
drv:///hpcups.drv/hp-laserjet_m110w-pdf.ppd HP LaserJet M110w pdf, hpcups 3.22.10, plugin
gutenprint.5.3://pcl-g_4/expert HP LaserJet M110w - CUPS+Gutenprint v5.3.4 (recommended)
"""


class FakeCups:
    """A CUPS that answers lpstat/lpinfo/lpadmin from these tables and records what it is told."""

    def __init__(self, queues: dict[str, str] | None = None, usb: str = LPINFO_LONG) -> None:
        self.queues = dict(queues or {})
        self.usb = usb
        self.calls: list[list[str]] = []
        self.default: str | None = None
        self.refuse: set[str] = set()

    def __call__(self, argv: Sequence[str]) -> CommandResult | None:
        argv = list(argv)
        self.calls.append(argv)
        if argv[:2] == ["lpstat", "-v"]:
            return CommandResult(0, "".join(f"device for {n}: {u}\n"
                                            for n, u in self.queues.items()), "")  # fmt: skip
        if argv[:2] == ["lpstat", "-d"]:
            text = f"system default destination: {self.default}" if self.default else (
                "no system default destination")  # fmt: skip
            return CommandResult(0, text + "\n", "")
        if argv[:2] == ["lpinfo", "--include-schemes"]:
            return CommandResult(0, self.usb, "")
        if argv[:2] == ["lpinfo", "--device-id"]:
            return CommandResult(0, {"Brother": BROTHER_DRIVERS, "HP": HP_DRIVERS}.get(
                argv[2].split(";")[0].removeprefix("MFG:"), ""), "")  # fmt: skip
        if argv[:2] == ["lpadmin", "-p"]:
            if argv[2] in self.refuse:
                return CommandResult(1, "", "lpadmin: Unable to query printer: Connection refused")
            self.queues[argv[2]] = argv[argv.index("-v") + 1]
            return CommandResult(0, "", "")
        if argv[:2] == ["lpadmin", "-d"]:
            self.default = argv[2]
            return CommandResult(0, "", "")
        raise AssertionError(f"unexpected command {argv}")


@pytest.fixture
def sys_root(tmp_path: Path) -> Path:
    (tmp_path / "proc" / "net").mkdir(parents=True)
    (tmp_path / "proc" / "net" / "tcp").write_text(TCP)
    (tmp_path / "proc" / "net" / "tcp6").write_text(TCP6)
    return tmp_path


def test_only_loopback_listeners_in_ipp_usbs_range_are_printers(sys_root: Path) -> None:
    # 60000 (127.0.0.1, listening) and 60003 (::1); not 60001 (a connection), not 60002 or
    # 60004 (every address: not ipp-usb's), not 631 (out of range).
    assert loopback_ports(sys_root) == [60000, 60003]
    assert loopback_ports(sys_root, range(600, 700)) == [631]
    assert loopback_ports(sys_root.parent / "nowhere") == []


def _ipp_response(*attributes: tuple[int, str, bytes]) -> bytes:
    out = struct.pack(">BBHI", 2, 0, 0, 1) + b"\x04"
    for tag, name, value in attributes:
        out += struct.pack(">BH", tag, len(name)) + name.encode()
        out += struct.pack(">H", len(value)) + value
    return out + b"\x03"


def test_the_make_and_model_is_read_from_an_ipp_answer() -> None:
    plain = _ipp_response((0x44, "printer-state-reasons", b"none"),
                          (0x41, "printer-make-and-model", b"HP LaserJet M110w"))  # fmt: skip
    assert _find_text_attribute(plain, "printer-make-and-model") == "HP LaserJet M110w"
    language = struct.pack(">H", 5) + b"en-us" + struct.pack(">H", 7) + b"Brother"
    tagged = _ipp_response((0x35, "printer-make-and-model", language))
    assert _find_text_attribute(tagged, "printer-make-and-model") == "Brother"
    assert _find_text_attribute(_ipp_response(), "printer-make-and-model") is None


def test_broken_ipp_answers_give_no_model_and_no_exception() -> None:
    whole = _ipp_response((0x41, "printer-make-and-model", b"HP LaserJet M110w"))
    for cut in range(len(whole) - 1):  # only the end tag missing is still a whole answer
        assert _find_text_attribute(whole[:cut], "printer-make-and-model") is None
    rng = secrets.SystemRandom()
    for _ in range(500):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        result = _find_text_attribute(junk, "printer-make-and-model")
        assert result is None or isinstance(result, str)


def test_nothing_listening_gives_no_model() -> None:
    with socket.socket() as s:  # a port that was just free
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert ipp_make_and_model(port, timeout=2) is None


def test_usb_devices_are_read_from_lpinfo() -> None:
    assert parse_usb_devices(LPINFO_LONG) == [
        ("usb://Brother/HL-L2350DW%20series?serial=E78123A1N123456",
         "MFG:Brother;CMD:PJL,PCL,PCLXL,URF;MDL:HL-L2350DW series;CLS:PRINTER;",
         "Brother HL-L2350DW series"),
        ("usb://HP/LaserJet%20M110w?serial=VNB1234567",
         "MFG:HP;MDL:LaserJet M110w;CMD:PJL,PWGRaster,URF;CLS:PRINTER;", "HP LaserJet M110w"),
    ]  # fmt: skip
    assert parse_usb_devices("") == []


def test_the_driver_is_the_recommended_one_else_the_first_never_raw() -> None:
    assert choose_driver(HP_DRIVERS) == "gutenprint.5.3://pcl-g_4/expert"
    assert choose_driver(BROTHER_DRIVERS) == "drv:///brlaser.drv/brl2350.ppd"
    assert choose_driver("raw Raw Queue\neverywhere IPP Everywhere\ndriverless:x Y\n") is None
    assert choose_driver("") is None


def test_queue_names_are_safe_and_unique() -> None:
    assert queue_name("HP LaserJet M110w", []) == "HP_LaserJet_M110w"
    assert queue_name("HP LaserJet M110w", ["hp_laserjet_m110w"]) == "HP_LaserJet_M110w_2"
    assert queue_name("Brother/HL #2\\x", []) == "Brother_HL_2_x"
    assert queue_name("   ", []) == "USB_printer"
    assert len(queue_name("x" * 200, [])) == 40


def test_a_printer_seen_both_ways_is_set_up_once_driverless(sys_root: Path) -> None:
    models = {60000: "HP LaserJet M110w", 60003: None}  # 60003: something that is no printer
    found, problems = find_printers(FakeCups(), sys_root, ask_model=lambda p, _: models[p])
    assert [(p.uri, p.model, p.driver) for p in found] == [
        ("ipp://localhost:60000/ipp/print", "HP LaserJet M110w", "everywhere"),
        ("usb://Brother/HL-L2350DW%20series?serial=E78123A1N123456",
         "Brother HL-L2350DW series", "drv:///brlaser.drv/brl2350.ppd"),
    ]  # fmt: skip
    assert problems == []


def test_a_printer_with_no_driver_is_named_with_what_to_do(tmp_path: Path) -> None:
    usb = LPINFO_LONG.replace("MFG:HP;", "MFG:Acme;")
    found, problems = find_printers(FakeCups(usb=usb), tmp_path, ask_model=lambda p, _: None)
    assert [p.model for p in found] == ["Brother HL-L2350DW series"]
    assert problems == [
        "HP LaserJet M110w: no driver for this printer in this system — use a printer that says "
        "IPP Everywhere, AirPrint or Mopria, or one listed in docs/ceremony-image.md"
    ]


def test_set_up_adds_missing_queues_once_and_makes_the_first_the_default(
    sys_root: Path,
) -> None:
    fake = FakeCups(queues={"PDF": "cups-pdf:/"})
    ask = {60000: "HP LaserJet M110w", 60003: None}.get

    report = set_up_printers(fake, sys_root, ask_model=lambda p, _: ask(p))
    assert report.added == ["HP_LaserJet_M110w (HP LaserJet M110w)",
                            "Brother_HL_L2350DW_series (Brother HL-L2350DW series)"]  # fmt: skip
    assert ["lpadmin", "-p", "HP_LaserJet_M110w", "-E", "-v", "ipp://localhost:60000/ipp/print",
            "-m", "everywhere"] in fake.calls  # fmt: skip
    assert fake.default == "HP_LaserJet_M110w"
    assert report.problems == [] and report.already == []

    fake.calls.clear()
    again = set_up_printers(fake, sys_root, ask_model=lambda p, _: ask(p))
    assert again.added == [] and not any(c[0] == "lpadmin" for c in fake.calls)
    assert again.lines() == ["Already set up: HP_LaserJet_M110w (HP LaserJet M110w)",
                             "Already set up: Brother_HL_L2350DW_series (Brother HL-L2350DW "
                             "series)"]  # fmt: skip


def test_an_existing_default_is_kept(tmp_path: Path) -> None:
    fake = FakeCups()
    fake.default = "Office"
    set_up_printers(fake, tmp_path)
    assert fake.default == "Office"


def test_a_refused_queue_is_a_problem_and_the_rest_are_set_up(tmp_path: Path) -> None:
    fake = FakeCups()
    fake.refuse = {"HP_LaserJet_M110w"}
    report = set_up_printers(fake, tmp_path, ask_model=lambda p, _: None)
    assert report.added == ["Brother_HL_L2350DW_series (Brother HL-L2350DW series)"]
    assert report.problems == [
        "HP LaserJet M110w: could not be set up "
        "(lpadmin: Unable to query printer: Connection refused)"
    ]
    assert "Set up: Brother_HL_L2350DW_series (Brother HL-L2350DW series)" in report.lines()


def test_waiting_catches_a_printer_that_appears_later(sys_root: Path) -> None:
    fake = FakeCups(usb="")
    now = [0.0]
    ready = {60000: False}

    def ask(port: int, _path: str) -> str | None:
        return "HP LaserJet M110w" if port == 60000 and ready[60000] else None

    def sleep(seconds: float) -> None:
        now[0] += seconds
        ready[60000] = now[0] >= 6  # ipp-usb answers a few seconds after the plug

    report = set_up_printers(fake, sys_root, wait_s=10, poll_s=3, ask_model=ask,
                             sleep=sleep, clock=lambda: now[0])  # fmt: skip
    assert report.added == ["HP_LaserJet_M110w (HP LaserJet M110w)"]
    assert now[0] >= 10  # it looked for the whole time given
    assert sum(c[:2] == ["lpadmin", "-p"] for c in fake.calls) == 1


def test_nothing_found_says_what_to_do(tmp_path: Path) -> None:
    report = set_up_printers(FakeCups(usb=""), tmp_path)
    assert report.lines() == ["No USB printer found: plug one in and switch it on"]


def test_the_command_refuses_a_wait_out_of_range() -> None:
    argv = [sys.executable, "-m", "ceremony", "printers", "--set-up", "--wait", "-1"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "ceremony: --wait must be between 0 and 600 seconds"


# --- with the real CUPS ----------------------------------------------------------------------


def _pdf_with(text: str) -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.mark.usefixtures("cups")
def test_a_loopback_ipp_printer_gets_a_driverless_queue_that_prints() -> None:
    """cupsd's own queue on 127.0.0.1:631 stands in for ipp-usb's loopback port: the same
    discovery (the kernel's socket table), the same IPP question, the same `lpadmin -m
    everywhere`, and the sheet comes out of the cups-pdf printer behind it."""
    ipp_model = ipp_make_and_model(631, f"/printers/{QUEUE}")
    assert ipp_model is not None and "PDF" in ipp_model
    before = set(printing.device_uris())
    report = set_up_printers(ports=range(631, 632), path=f"/printers/{QUEUE}")
    added = [line.split(" ", 1)[0] for line in report.added]
    try:
        assert report.problems == [] and len(added) == 1
        name = added[0]
        assert name not in before
        assert printing.device_uris()[name] == f"ipp://localhost:631/printers/{QUEUE}"
        _, check = read_printers(run_command, rehearsal=True)
        assert name in check.status and "print over the network" not in check.status

        marker = f"usb-printer-check-{secrets.token_hex(4)}"
        out = cups_pdf_out_dir()
        old = set(out.glob("*.pdf")) if out.exists() else set()
        printing.print_pdf(_pdf_with(marker), name, timeout=120)
        deadline = time.monotonic() + 60
        printed: list[Path] = []
        while time.monotonic() < deadline and not printed:
            for path in set(out.glob("*.pdf")) - old:
                text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                      text=True, check=False).stdout  # fmt: skip
                if marker in text:
                    printed.append(path)
            time.sleep(0.3)
        assert printed, "the sheet sent to the loopback queue never reached the printer"
        for path in printed:
            path.unlink()
    finally:
        for name in added:
            subprocess.run(["lpadmin", "-x", name], capture_output=True, check=False)
