"""Run `ceremony ...` as a real process, the way a script would.

Commands that touch a secret refuse a real ceremony on a machine with a network,
an unblocked radio, or temporary files on disk. ``run_ceremony`` therefore runs
them air-gapped by default: in a fresh network namespace that has only
loopback, and a private mount namespace with memory-only folders (tmpfs) over
the temporary folder and the print spool — the state ``scripts/ceremony-tmpfs.sh``
and unplugged cables give a real laptop. ``network=True`` runs on the host as is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest

from ceremony.gap import Request, new_request
from ceremony.room.tmpfs import cups_request_root
from ceremony.secret import Secret

REPO = Path(__file__).resolve().parent.parent
SECRET_COMMANDS = frozenset(
    {
        "split",
        "combine",
        "inspect-share",
        "reshare",
        "authorize",
        "genesis",
        "rehearse",
        "session",
        "drill",
    }
)
# Inside a new mount namespace: tmpfs over each folder in $CEREMONY_TEST_TMPFS, then the command.
# The tmpfs vanishes with the namespace; with $CEREMONY_TEST_KEEP set, what the command left in
# each of them is copied there first, so a secrets-at-rest scan sees its TMPDIR too.
MOUNT_AND_RUN = (
    'set -e; for d in $CEREMONY_TEST_TMPFS; do mount -t tmpfs -o mode=0755 ceremony-test "$d"; '
    'done; [ -n "${CEREMONY_TEST_KEEP:-}" ] || exec "$@"; '
    'set +e; "$@"; rc=$?; kept=$(mktemp -d "$CEREMONY_TEST_KEEP/run-XXXXXX") || exit 125; '
    'for d in $CEREMONY_TEST_TMPFS; do mkdir -p "$kept$d" && cp -R "$d/." "$kept$d/" || exit 125; '
    "done; exit $rc"
)
# After `unshare --net`, /sys still shows the old network namespace until mounted again
# (`ip netns exec` does the same).
_REMOUNT_SYS = "set -e; mount -t sysfs ceremony-sys /sys; "


@cache
def unshare_prefix() -> tuple[str, ...] | None:
    """How to enter empty network and mount namespaces here, or None when this machine can't."""
    if shutil.which("unshare") is None:
        return None
    options: list[tuple[str, ...]] = [("unshare", "--net", "--mount")] if os.geteuid() == 0 else []
    options.append(("unshare", "--map-root-user", "--net", "--mount"))
    for prefix in options:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    return None


def memory_only_folders(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """``env`` with TMPDIR a fresh folder, and the folders for ``MOUNT_AND_RUN`` to cover.

    Returns the environment and the scratch folder to remove afterwards.
    """
    scratch = tempfile.mkdtemp(prefix="ceremony-tmpfs-")
    mounts = [scratch]
    spool = cups_request_root(Path("/"))
    if spool and Path(spool).is_dir():
        mounts.append(spool)
    return {**env, "TMPDIR": scratch, "CEREMONY_TEST_TMPFS": " ".join(mounts)}, scratch


def air_gapped(argv: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str], str]:
    """``argv`` wrapped to run air-gapped, its environment, and the scratch folder to remove."""
    prefix = unshare_prefix()
    if prefix is None:
        pytest.skip(
            "cannot make an air-gapped namespace here: needs root (or unprivileged user "
            "namespaces) and unshare"
        )
    env, scratch = memory_only_folders(env)
    return [*prefix, "sh", "-c", _REMOUNT_SYS + MOUNT_AND_RUN, "sh", *argv], env, scratch


def run_ceremony(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    network: bool = False,
    module: str = "ceremony",
) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS`` (the ``ceremony`` command by default)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    argv = [sys.executable, "-m", module, *args]
    scratch = None
    if args and args[0] in SECRET_COMMANDS and not network:
        argv, full_env, scratch = air_gapped(argv, full_env)
    try:
        return subprocess.run(
            argv,
            input=stdin,
            capture_output=True,
            text=True,
            env=full_env,
            cwd=cwd or REPO,
            timeout=300,
        )
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run_split(
    threshold: int, custodians: str, shares_out: Path, *options: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`ceremony split`: any ``threshold`` of ``custodians`` (comma-separated) rebuild, the
    shares written to ``shares_out``; the component comes from ``stdin`` unless ``--generate``."""
    return run_ceremony(
        "split",
        *("--threshold", str(threshold), "--custodians", custodians),
        *("--shares-out", str(shares_out), *options),
        stdin=stdin,
    )


def practice_install_request(folder: Path) -> tuple[Request, Secret, Path]:
    """A practice Vault's install request for key version v7, written to ``folder/request.txt``
    (a rehearsal genesis may only answer one of those), and its private key."""
    request, private_key = new_request("install", {}, "v7", timedelta(minutes=30), rehearsal=True)
    path = folder / "request.txt"
    path.write_text(request.file_text())
    return request, private_key, path


def run_genesis(
    custodians: str, threshold: int, request: Path, out: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """A rehearsal `ceremony genesis`: any ``threshold`` of ``custodians`` (comma-separated),
    answering the request file ``request``, its files written to the folder ``out``."""
    return run_ceremony(
        "genesis",
        *("--custodians", custodians, "--threshold", str(threshold)),
        *("--request", str(request), "--out", str(out), "--rehearsal", *options),
    )


def run_authorize(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`ceremony authorize` as a script must run it: a ``--review-only`` run prints the review
    and its digest, then the same shares seal with ``--approve DIGEST``. Returns the review
    run when it fails, else the approving run."""
    review_args: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--out", "--text-out"):
            skip = True
        elif arg != "--json":
            review_args.append(arg)
    review = run_ceremony(
        "authorize", *review_args, "--review-only", "--json", stdin=stdin, env=env
    )
    if review.returncode != 0:
        return review
    digest = json.loads(review.stdout)["review_digest"]
    return run_ceremony("authorize", *args, "--approve", digest, stdin=stdin, env=env)


def memory_folder() -> Path:
    """A fresh folder on a memory-only filesystem that outlives one process (for session keys)."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("this machine has no /dev/shm tmpfs for a session key")
    return Path(tempfile.mkdtemp(prefix="ceremony-session-", dir=shm))
