"""Printing through CUPS from memory: list queues, send a PDF, follow the job to the end.

The PDF goes to ``lp`` on stdin, so this process writes no file. CUPS itself
spools the job under /var/spool/cups and, by default, keeps the document for a
day after printing (``PreserveJobFiles``); the environment advice in the README
covers turning that off on the ceremony laptop.

Every failure becomes a :class:`~ceremony.errors.PrintError` that tells a
custodian what to do. A job that cannot finish (printer stopped, timeout) is
cancelled, so a share never prints later on an unattended printer.

Commands run through :func:`ceremony.commands.run_command`, the environment
check's runner, so printing and the check always ask the same scheduler.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import quote

from ceremony.commands import SYSTEM_PATH, CommandResult, Runner, run_command
from ceremony.errors import PrintError

__all__ = [
    "JobState",
    "PrintProgress",
    "PrintQueue",
    "ProgressCallback",
    "device_uris",
    "job_state",
    "list_queues",
    "parse_device_uris",
    "print_pdf",
    "queue_uris",
    "saves_to_disk",
    "scheduler_running",
    "submit",
    "wait_for_job",
]

JobStateName = Literal[
    "pending", "held", "processing", "stopped", "completed", "canceled", "aborted", "gone"
]
ProgressCallback = Callable[["PrintProgress"], None]

COMMAND_TIMEOUT: Final = 20.0
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class PrintQueue:
    name: str
    enabled: bool  # a disabled (stopped) queue holds jobs until someone restarts it
    accepting: bool
    default: bool
    reason: str = ""  # why it is stopped or refusing, as CUPS says

    @property
    def ready(self) -> bool:
        return self.enabled and self.accepting


@dataclass(frozen=True)
class JobState:
    job_id: str
    state: JobStateName
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrintProgress:
    """What the UI shows while a job runs."""

    job_id: str
    state: JobStateName | Literal["submitted"]
    message: str


def _run(
    argv: Sequence[str], stdin: bytes | None = None, timeout: float = COMMAND_TIMEOUT
) -> CommandResult:
    done = run_command(argv, timeout=timeout, stdin=stdin)
    if done is None:
        raise PrintError(
            "The printing system (CUPS) is not installed on this computer; "
            "install cups, or save the PDF and print it elsewhere."
        )
    if done.timed_out:
        raise PrintError(
            f"The print service did not answer within {timeout:.0f} seconds; "
            "check that CUPS is running (systemctl status cups)."
        )
    return done


def _text(output: str) -> str:
    return output.strip()


def scheduler_running() -> bool:
    done = _run(["lpstat", "-r"])
    return "scheduler is running" in _text(done.stdout)


def _require_scheduler() -> None:
    if not scheduler_running():
        raise PrintError(
            "The print service (CUPS scheduler) is not running; start it "
            "(sudo systemctl start cups) and try again."
        )


def list_queues() -> list[PrintQueue]:
    """Every print queue CUPS knows, with whether it can print now. Empty when there are none."""
    _require_scheduler()
    printers = _run(["lpstat", "-p"])
    accepting = _run(["lpstat", "-a"])
    default = _text(_run(["lpstat", "-d"]).stdout)
    default_name = default.split(":", 1)[1].strip() if default.startswith("system default") else ""
    states = _blocks(_text(printers.stdout), r"^printer (\S+) ")
    accepts = _blocks(_text(accepting.stdout), r"^(\S+) (?:accepting|not accepting)")
    queues = []
    for name, lines in states.items():
        accept_lines = accepts.get(name, [])
        refusing = bool(accept_lines) and " not accepting" in accept_lines[0]
        enabled = "disabled" not in lines[0]
        reason_lines = lines[1:] if not enabled else accept_lines[1:] if refusing else []
        queues.append(
            PrintQueue(
                name=name,
                enabled=enabled,
                accepting=not refusing,
                default=name == default_name,
                reason=" ".join(line.strip() for line in reason_lines).strip(),
            )
        )
    return queues


FILE_BACKENDS: Final = frozenset({"cups-pdf", "file", "pdf", "pdf-writer", "cups-brf"})


def device_uris() -> dict[str, str]:
    """Each queue's device URI as ``lpstat -v`` says it (``cups-pdf:/``, ``ipp://…``)."""
    _require_scheduler()
    return parse_device_uris(_text(_run(["lpstat", "-v"]).stdout))


def parse_device_uris(lpstat_v: str) -> dict[str, str]:
    """Queue name -> device URI from the text of ``lpstat -v``."""
    found: dict[str, str] = {}
    for line in lpstat_v.splitlines():
        match = re.match(r"^device for (\S+): (\S+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def queue_uris(run: Runner = run_command) -> dict[str, str]:
    """Like :func:`device_uris`, through ``run``; empty when CUPS does not answer."""
    result = run(["lpstat", "-v"])
    if result is None or result.returncode != 0:
        return {}
    return parse_device_uris(result.stdout)


def saves_to_disk(uri: str) -> bool:
    """Whether a queue with this device writes a file instead of paper (cups-pdf and the like)."""
    scheme = uri.split(":", 1)[0].lower()
    return scheme in FILE_BACKENDS or uri.startswith("/")


def _blocks(text: str, head: str) -> dict[str, list[str]]:
    """Group ``lpstat`` output into blocks: a line matching ``head``, then its indented lines."""
    pattern = re.compile(head)
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            current = out.setdefault(match.group(1), [])
            current.append(line)
        elif current is not None and line[:1].isspace():
            current.append(line)
    return out


def _queue(name: str) -> PrintQueue:
    for queue in list_queues():
        if queue.name == name:
            return queue
    raise PrintError(
        f"There is no printer called {name!r}. Choose one of the printers listed, "
        "or add the printer in the system's printer settings."
    )


def submit(pdf: bytes, queue: str, title: str = "Custodian Ceremony document") -> str:
    """Send the PDF to ``queue`` on stdin and return the CUPS job id (e.g. ``PDF-12``)."""
    if not pdf.startswith(b"%PDF-"):
        raise PrintError("Only PDF documents can be printed from here.")
    target = _queue(queue)
    if not target.ready:
        state = "stopped" if not target.enabled else "not accepting jobs"
        raise PrintError(
            f"The printer {queue!r} is {state}"
            + (f" ({target.reason})" if target.reason else "")
            + "; fix the printer and resume it in the printer settings, then print again."
        )
    done = _run(["lp", "-d", queue, "-t", title], stdin=pdf)
    match = _REQUEST_ID.search(_text(done.stdout))
    if done.returncode != 0 or not match:
        detail = _text(done.stderr).removeprefix("lp:").strip() or "no reason given"
        raise PrintError(f"The printer {queue!r} refused the job: {detail}")
    return match.group(1)


def job_state(job_id: str, queue: str) -> JobState:
    """Where a job is now: waiting, printing, or finished and how.

    ``ipptool`` (cups-ipp-utils) asks the scheduler for the job's IPP state; without
    it, ``lpstat`` tells waiting from finished but cannot tell completed from cancelled.
    """
    from_ipp = _ipp_job_state(job_id)
    if from_ipp is not None:
        return from_ipp
    active = _blocks(_text(_run(["lpstat", "-l", "-o", queue]).stdout), r"^(\S+-\d+)\s")
    if job_id in active:
        reasons = _reasons(active[job_id])
        if any("hold" in r for r in reasons):
            return JobState(job_id, "held", reasons)
        printing = _text(_run(["lpstat", "-p", queue]).stdout)
        state: JobStateName = "processing" if f"now printing {job_id}" in printing else "pending"
        return JobState(job_id, state, reasons)
    finished = _blocks(
        _text(_run(["lpstat", "-l", "-W", "completed", "-o", queue]).stdout), r"^(\S+-\d+)\s"
    )
    if job_id not in finished:
        return JobState(job_id, "gone")
    reasons = _reasons(finished[job_id])
    if any("abort" in r for r in reasons):
        return JobState(job_id, "aborted", reasons)
    if any("cancel" in r for r in reasons):
        return JobState(job_id, "canceled", reasons)
    return JobState(job_id, "completed", reasons)


_IPP_STATES: Final[dict[str, JobStateName]] = {
    "pending": "pending",
    "pending-held": "held",
    "processing": "processing",
    "processing-stopped": "stopped",
    "canceled": "canceled",
    "aborted": "aborted",
    "completed": "completed",
}


def _scheduler_uri() -> str:
    """The scheduler as an IPP host, following CUPS_SERVER like lp and lpstat do."""
    server = os.environ.get("CUPS_SERVER", "").strip()
    if server.startswith("/"):
        return quote(server, safe="")  # a domain socket, %2F-encoded as CUPS expects
    return server or "localhost"


def _ipp_job_state(job_id: str) -> JobState | None:
    number = job_id.rsplit("-", 1)[-1]
    if not number.isdigit() or shutil.which("ipptool", path=SYSTEM_PATH) is None:
        return None
    uri = f"ipp://{_scheduler_uri()}/jobs/{number}"
    output = _text(_run(["ipptool", "-tv", uri, "get-job-attributes.test"]).stdout)
    state = re.search(r"^\s*job-state \(enum\) = (\S+)", output, re.MULTILINE)
    if state is None or state.group(1) not in _IPP_STATES:
        return None
    reasons = re.search(r"^\s*job-state-reasons \([^)]*\) = (.+)$", output, re.MULTILINE)
    listed = tuple(r for r in (reasons.group(1) if reasons else "").split(",") if r)
    return JobState(job_id, _IPP_STATES[state.group(1)], listed)


def _reasons(lines: Sequence[str]) -> tuple[str, ...]:
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("Alerts:"):
            return tuple(r for r in stripped.removeprefix("Alerts:").replace(",", " ").split() if r)
    return ()


def _cancel(job_id: str) -> None:
    _run(["cancel", job_id])


def wait_for_job(
    job_id: str,
    queue: str,
    *,
    timeout: float = 180.0,
    poll_interval: float = 0.5,
    progress: ProgressCallback | None = None,
) -> JobState:
    """Follow a job until it is completed; raise :class:`PrintError` for anything else."""
    deadline = time.monotonic() + timeout
    last: JobStateName | None = None
    while True:
        if not scheduler_running():
            raise PrintError(
                f"The print service stopped while job {job_id} was printing; restart it "
                "(sudo systemctl start cups), check what came out, and print again if needed."
            )
        state = job_state(job_id, queue)
        if state.state != last and progress is not None:
            progress(PrintProgress(job_id, state.state, _MESSAGES[state.state].format(queue=queue)))
        last = state.state
        if state.state in ("completed", "gone"):
            return state
        if state.state in ("aborted", "canceled", "stopped"):
            if state.state == "stopped":
                _cancel(job_id)
            raise PrintError(
                f"Job {job_id} on {queue!r} was {state.state}"
                f" ({', '.join(state.reasons) or 'no reason given'}); check the printer and print "
                "this sheet again."
            )
        printer = _queue(queue)
        if not printer.enabled:
            _cancel(job_id)
            raise PrintError(
                f"The printer {queue!r} stopped"
                + (f" ({printer.reason})" if printer.reason else "")
                + f"; job {job_id} was cancelled so it cannot print later unattended. "
                "Fix the printer, resume it, and print again."
            )
        if time.monotonic() >= deadline:
            _cancel(job_id)
            held = " It is held and waiting for release." if state.state == "held" else ""
            raise PrintError(
                f"Job {job_id} on {queue!r} did not finish within {timeout:.0f} seconds and "
                f"was cancelled.{held} Check the printer and print again."
            )
        time.sleep(poll_interval)


_MESSAGES: Final[dict[JobStateName, str]] = {
    "pending": "Waiting for the printer {queue}…",
    "held": "The job is held on {queue}…",
    "processing": "Printing on {queue}…",
    "stopped": "The job was stopped on {queue}.",
    "completed": "Printed on {queue}.",
    "gone": "Printed on {queue}.",
    "canceled": "The job was cancelled on {queue}.",
    "aborted": "The job failed on {queue}.",
}


def print_pdf(
    pdf: bytes,
    queue: str,
    *,
    title: str = "Custodian Ceremony document",
    timeout: float = 180.0,
    poll_interval: float = 0.5,
    progress: ProgressCallback | None = None,
) -> str:
    """Print ``pdf`` on ``queue`` and wait until CUPS reports it completed. Returns the job id."""
    _require_scheduler()
    job_id = submit(pdf, queue, title)
    if progress is not None:
        progress(PrintProgress(job_id, "submitted", f"Sent to {queue} as job {job_id}."))
    wait_for_job(job_id, queue, timeout=timeout, poll_interval=poll_interval, progress=progress)
    return job_id
