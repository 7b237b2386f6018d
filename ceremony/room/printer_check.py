"""Printers: whether share sheets would reach paper, and only paper.

A file-backed queue (cups-pdf and the like) writes the sheet to disk: it is
named as "saves to disk: not a printer", which stops a real ceremony's
printing and is a warning in a rehearsal. A network queue cannot work in an
air-gapped room, and a spool that keeps job files keeps every share sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from ceremony.commands import Runner
from ceremony.printers.cups import queue_uris, saves_to_disk
from ceremony.room.checks import Check, Severity, read_value

__all__ = ["read_printers", "spool_keeps_documents"]

_NETWORK_SCHEMES: Final = ("ipp:", "ipps:", "http:", "https:", "socket:", "lpd:", "dnssd:", "smb:")


def spool_keeps_documents(sys_root: Path) -> bool:
    """Whether CUPS keeps a copy of every printed document (share sheets too) in its spool.

    CUPS keeps job files for a day unless cupsd.conf says ``PreserveJobFiles No``.
    """
    conf = read_value(sys_root / "etc" / "cups" / "cupsd.conf") or ""
    for line in reversed(conf.splitlines()):
        words = line.split()
        if len(words) >= 2 and words[0].lower() == "preservejobfiles":
            return words[1].lower() not in {"no", "off", "false"}
    return True


def read_printers(
    run: Runner, sys_root: Path = Path("/"), rehearsal: bool = False, live_image: bool = False
) -> tuple[tuple[str, ...], Check]:
    """The print queues, and whether share sheets would reach paper."""
    scheduler = run(["lpstat", "-r"])
    if scheduler is None:
        return (), Check(
            "printers",
            "Printers",
            "warning",
            "Printing is not available: the print service (CUPS) is not installed "
            "— save the PDFs and print them elsewhere offline",
        )
    result = run(["lpstat", "-e"])
    if "not running" in scheduler.stdout + scheduler.stderr or result is None:
        return (), Check(
            "printers",
            "Printers",
            "warning",
            "The print service is not running — start CUPS or save the PDFs",
        )
    names = tuple(line.strip() for line in result.stdout.splitlines() if line.strip())
    if not names:
        what_to_do = ("plug in a USB printer and switch it on: it is set up within a minute, "
                      "then check this computer again") if live_image else (
                      "plug in a USB printer and run 'ceremony printers --set-up'")  # fmt: skip
        return (), Check("printers", "Printers", "warning", f"No printer is set up — {what_to_do}")
    return names, _queues_check(names, queue_uris(run), sys_root, rehearsal)


def _queues_check(
    names: tuple[str, ...], uris: dict[str, str], sys_root: Path, rehearsal: bool
) -> Check:
    to_disk = [n for n in names if saves_to_disk(uris.get(n, ""))]
    paper = [n for n in names if n not in to_disk]
    network = [n for n in paper if _over_network(uris.get(n, ""))]
    severity: Severity = "ok"
    parts = [f"Printer{'s' if len(paper) > 1 else ''} ready: {', '.join(paper)}" if paper
             else "No paper printer"]  # fmt: skip
    if to_disk:
        severity = "warning" if rehearsal else "blocking"
        parts += [f"{name} saves to disk: not a printer" for name in to_disk]
        which = f"'lpadmin -x {to_disk[0]}'" if len(to_disk) == 1 else "'lpadmin -x NAME'"
        parts[-1] += f" — share sheets must go to paper; use a USB printer and remove {which}"
    if network:
        severity = severity if severity == "blocking" else "warning"
        parts.append(f"{', '.join(network)} print over the network and will not work without "
                     "one — use a USB printer")  # fmt: skip
    if spool_keeps_documents(sys_root):
        severity = severity if severity == "blocking" else "warning"
        parts.append("but the print service keeps a copy of every printed sheet on disk — set "
                     "'PreserveJobFiles No' in /etc/cups/cupsd.conf and restart CUPS")  # fmt: skip
    return Check("printers", "Printers", severity, "; ".join(parts), blocks_real=bool(to_disk))


def _over_network(uri: str) -> bool:
    """A network queue; IPP to this machine's loopback is a USB printer (ipp-usb)."""
    if not uri.startswith(_NETWORK_SCHEMES):
        return False
    host = urlsplit(uri).hostname or ""
    return not (host == "localhost" or host == "::1" or host.startswith("127."))
