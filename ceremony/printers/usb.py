"""Print queues for USB printers on a laptop with no network (the ceremony image).

Two kinds of USB printer reach CUPS:

- **IPP over USB** (printers sold as "IPP Everywhere", "AirPrint" or "Mopria" that have
  a USB port): ``ipp-usb`` serves each one on a loopback port from 60000 up. CUPS
  drives it with no driver at all (``lpadmin -m everywhere``).
- **The rest**: CUPS's ``usb`` backend finds them (``lpinfo -v``) with the printer's
  IEEE 1284 device ID, and the driver is the installed one that CUPS matches to it.

Nothing here opens a network connection: the loopback ports are read from the
kernel's socket table, and the printer is asked its name over the loopback port
ipp-usb listens on.
"""

from __future__ import annotations

import contextlib
import re
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from typing import Final

from ceremony.commands import CommandResult, Runner, run_command
from ceremony.printers.cups import queue_uris

__all__ = [
    "IPP_USB_PATH",
    "IPP_USB_PORTS",
    "FoundPrinter",
    "SetupReport",
    "choose_driver",
    "find_printers",
    "ipp_make_and_model",
    "loopback_ports",
    "parse_usb_devices",
    "queue_name",
    "run_slow_command",
    "set_up_printers",
]

IPP_USB_PORTS: Final = range(60000, 65536)  # ipp-usb's http-min-port .. http-max-port
IPP_USB_PATH: Final = "/ipp/print"
SLOW_COMMAND_TIMEOUT_S: Final = 90.0  # lpinfo runs every backend; lpadmin asks the printer
_LISTEN: Final = "0A"
_LOOPBACK_V4: Final = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it
_LOOPBACK_V6: Final = "00000000000000000000000001000000"  # ::1
_NOT_A_DRIVER: Final = ("raw", "everywhere", "driverless")


@dataclass(frozen=True)
class FoundPrinter:
    """A USB printer that needs a queue: where CUPS reaches it and how it drives it."""

    uri: str
    model: str  # as the printer names itself
    driver: str  # "everywhere" (IPP over USB) or a driver name from `lpinfo -m`


@dataclass
class SetupReport:
    added: list[str] = field(default_factory=list)  # "queue (model)"
    already: list[str] = field(default_factory=list)  # queues that were there before
    problems: list[str] = field(default_factory=list)  # one plain sentence each

    def lines(self) -> list[str]:
        out = [f"Set up: {name}" for name in self.added]
        out += [f"Already set up: {name}" for name in self.already]
        out += self.problems
        if not (self.added or self.already or self.problems):
            out.append("No USB printer found: plug one in and switch it on")
        return out


def run_slow_command(argv: Sequence[str]) -> CommandResult | None:
    """The shared command runner, with time for lpinfo and lpadmin."""
    return run_command(argv, timeout=SLOW_COMMAND_TIMEOUT_S)


# --- finding printers ---------------------------------------------------------------------


def loopback_ports(sys_root: Path = Path("/"), ports: range = IPP_USB_PORTS) -> list[int]:
    """Ports in ``ports`` that something listens on at 127.0.0.1 or ::1 (ipp-usb's)."""
    found: set[int] = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in (sys_root / "proc" / "net" / table).read_text().splitlines()[1:]:
                parts = line.split()
                if len(parts) < 4 or parts[3] != _LISTEN:
                    continue
                address, _, port_hex = parts[1].partition(":")
                with contextlib.suppress(ValueError):
                    port = int(port_hex, 16)
                    if address in (_LOOPBACK_V4, _LOOPBACK_V6) and port in ports:
                        found.add(port)
    return sorted(found)


def ipp_make_and_model(port: int, path: str = IPP_USB_PATH, timeout: float = 10.0) -> str | None:
    """The printer's ``printer-make-and-model``, asked over IPP on a loopback port."""
    uri = f"ipp://localhost:{port}{path}"
    body = struct.pack(">BBHI", 2, 0, 0x000B, 1)  # IPP 2.0, Get-Printer-Attributes, id 1
    body += b"\x01"  # operation attributes
    body += _attribute(0x47, "attributes-charset", "utf-8")
    body += _attribute(0x48, "attributes-natural-language", "en")
    body += _attribute(0x45, "printer-uri", uri)
    body += _attribute(0x44, "requested-attributes", "printer-make-and-model")
    body += b"\x03"
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, body, {"Content-Type": "application/ipp"})
        response = connection.getresponse()
        answer = response.read(1 << 20)
    except (OSError, HTTPException):
        return None
    finally:
        connection.close()
    if response.status != 200:
        return None
    return _find_text_attribute(answer, "printer-make-and-model")


def _attribute(tag: int, name: str, value: str) -> bytes:
    n, v = name.encode(), value.encode()
    return struct.pack(">BH", tag, len(n)) + n + struct.pack(">H", len(v)) + v


def _find_text_attribute(message: bytes, wanted: str) -> str | None:
    """One attribute's first value from an IPP response (RFC 8010 encoding)."""
    at = 8  # version, status, request id
    while at < len(message):
        tag = message[at]
        at += 1
        if tag < 0x10:  # a delimiter: the next group, or 0x03 the end
            if tag == 0x03:
                return None
            continue
        if at + 2 > len(message):
            return None
        (name_len,) = struct.unpack_from(">H", message, at)
        name = message[at + 2 : at + 2 + name_len].decode("utf-8", "replace")
        at += 2 + name_len
        if at + 2 > len(message):  # cut short
            return None
        (value_len,) = struct.unpack_from(">H", message, at)
        value = message[at + 2 : at + 2 + value_len]
        at += 2 + value_len
        if at > len(message):  # cut short
            return None
        if name == wanted and tag in (0x41, 0x42, 0x35, 0x36):  # text and name types
            if tag in (0x35, 0x36):  # ...WithLanguage: a language, then the text
                if len(value) < 2:
                    return None
                (lang_len,) = struct.unpack_from(">H", value, 0)
                value = value[2 + lang_len + 2 :]
            return value.decode("utf-8", "replace").strip() or None
    return None


def parse_usb_devices(lpinfo_long: str) -> list[tuple[str, str, str]]:
    """``(uri, device_id, make_and_model)`` of each ``usb:`` device in ``lpinfo -l -v``."""
    devices: list[tuple[str, str, str]] = []
    current: dict[str, str] = {}

    def flush() -> None:
        uri = current.get("uri", "")
        if uri.startswith("usb:"):
            model = current.get("make-and-model") or current.get("info") or "USB printer"
            devices.append((uri, current.get("device-id", ""), model))

    for line in lpinfo_long.splitlines():
        if line.startswith("Device:"):
            flush()
            current = {}
            line = line.removeprefix("Device:")
        key, sep, value = line.strip().partition(" = ")
        if sep:
            current[key.strip()] = value.strip()
    flush()
    return devices


def choose_driver(lpinfo_models: str) -> str | None:
    """The driver to use from ``lpinfo --device-id ID -m``: one marked recommended, else the
    first CUPS lists (it lists the closest match first). Never raw, never driverless."""
    drivers: list[tuple[str, str]] = []
    for line in lpinfo_models.splitlines():
        name, _, description = line.strip().partition(" ")
        if name and not name.lower().startswith(_NOT_A_DRIVER):
            drivers.append((name, description.lower()))
    for name, description in drivers:
        if "recommended" in description:
            return name
    return drivers[0][0] if drivers else None


def queue_name(model: str, taken: Iterable[str]) -> str:
    """A CUPS queue name from what the printer calls itself, not yet in ``taken``."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", model).strip("_")[:40] or "USB_printer"
    taken_lower = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in taken_lower:  # CUPS names are case-insensitive
        name, n = f"{base}_{n}", n + 1
    return name


def _same_model(a: str, b: str) -> bool:
    def words(s: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", s.lower())

    wa, wb = words(a), words(b)
    return bool(wa and wb) and (wa in wb or wb in wa)


def find_printers(
    run: Runner,
    sys_root: Path = Path("/"),
    ports: range = IPP_USB_PORTS,
    path: str = IPP_USB_PATH,
    ask_model: Callable[[int, str], str | None] = ipp_make_and_model,
) -> tuple[list[FoundPrinter], list[str]]:
    """Every USB printer CUPS can reach, and a sentence for each one it cannot drive.

    A printer seen both over IPP-over-USB and by the usb backend (one that offers both
    interfaces) is kept once, driverless.
    """
    found: list[FoundPrinter] = []
    problems: list[str] = []
    for port in loopback_ports(sys_root, ports):
        model = ask_model(port, path)
        if model is None:
            continue  # something else listens there, or the printer is still starting
        found.append(FoundPrinter(f"ipp://localhost:{port}{path}", model, "everywhere"))
    listed = run(["lpinfo", "--include-schemes", "usb", "-l", "-v"])
    if listed is None or listed.returncode != 0:
        return found, problems
    for uri, device_id, model in parse_usb_devices(listed.stdout):
        if any(_same_model(model, p.model) for p in found if p.driver == "everywhere"):
            continue
        models = run(["lpinfo", "--device-id", device_id, "-m"]) if device_id else None
        driver = choose_driver(models.stdout) if models and models.returncode == 0 else None
        if driver is None:
            problems.append(f"{model}: no driver for this printer in this system — use a printer "
                            "that says IPP Everywhere, AirPrint or Mopria, or one listed in "
                            "docs/ceremony-image.md")  # fmt: skip
            continue
        found.append(FoundPrinter(uri, model, driver))
    return found, problems


# --- setting them up ----------------------------------------------------------------------


def set_up_printers(
    run: Runner = run_slow_command,
    sys_root: Path = Path("/"),
    *,
    wait_s: float = 0.0,
    poll_s: float = 3.0,
    ports: range = IPP_USB_PORTS,
    path: str = IPP_USB_PATH,
    ask_model: Callable[[int, str], str | None] = ipp_make_and_model,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> SetupReport:
    """Give every USB printer a queue; look again for ``wait_s`` seconds (a printer just
    plugged in takes a few seconds to appear). The first queue becomes the default."""
    report = SetupReport()
    deadline = clock() + wait_s
    before = queue_uris(run)
    queues = dict(before)
    while True:
        found, report.problems = find_printers(run, sys_root, ports, path, ask_model)
        for printer in found:
            if printer.uri in queues.values():
                continue
            name = queue_name(printer.model, queues)
            made = run(["lpadmin", "-p", name, "-E", "-v", printer.uri, "-m", printer.driver])
            if made is None or made.returncode != 0:
                why = (made.stderr.strip() if made else "lpadmin is not installed") or "no reason"
                report.problems.append(f"{printer.model}: could not be set up ({why})")
                continue
            queues[name] = printer.uri
            report.added.append(f"{name} ({printer.model})")
        if clock() >= deadline:
            break
        sleep(poll_s)
    report.already = [f"{name} ({p.model})" for p in found
                      for name, uri in before.items() if uri == p.uri]  # fmt: skip
    if report.added:
        default = run(["lpstat", "-d"])
        if default is not None and "no system default" in (default.stdout + default.stderr):
            run(["lpadmin", "-d", report.added[0].split(" ", 1)[0]])
    return report
