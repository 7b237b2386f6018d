"""`ceremony authorize` as a real process, and the payload table it shares with the desktop."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import keys
from ceremony.gap import (
    Operation,
    Registration,
    Request,
    RequestContents,
    SessionCode,
    new_request,
    open_bundle,
    parse_bundle,
    parse_session_code,
    verify_bundle,
)
from ceremony.operations.install import install_payload
from ceremony.secret import Secret
from ceremony.shares import split
from tests.cli import run_authorize, run_ceremony
from tests.vault_support import checktick_email_key, checktick_kek_key

KEK = bytes(range(100, 132))
USER, SURVEY, EMAIL = "42", "s-7", "ann@checktick.test"


@dataclass
class Room:
    component: Secret
    vault: Secret
    shares: list[str]
    tmp: Path
    memory: Path  # memory-only: where a real room keeps its session key

    def registration(self) -> Registration:
        return Registration(
            keys.export_signing_public_key(self.component),
            keys.fingerprints(self.component, self.vault),
        )

    def escrow(self, iterations: int = 200_000, email: str = EMAIL) -> RequestContents:
        with keys.xor(self.component, self.vault) as platform:
            p = platform.reveal()
            kek_key = checktick_kek_key(p, USER, SURVEY, iterations)
            email_key = checktick_email_key(p, USER, iterations // 2)
        nonce = bytes(12)
        return RequestContents(
            Secret(self.vault.reveal(), "vault"),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek",
            encrypted_kek=nonce + AESGCM(kek_key).encrypt(nonce, KEK, None),
            encrypted_email=nonce + AESGCM(email_key).encrypt(nonce, email.encode(), None),
        )

    def request(
        self,
        operation: Operation,
        ttl: timedelta = timedelta(minutes=30),
        session: SessionCode | None = None,
        contents: RequestContents | None = None,
        *,
        rehearsal: bool = False,
    ) -> tuple[Request, Secret, Path]:
        params = (
            {"user": USER, "survey": SURVEY, "ticket": "T-77"}
            if operation == "recover-escrow"
            else {}
        )
        registration = None if operation in ("install", "adopt") else self.registration()
        request, private = new_request(
            operation,
            params,
            "v1",
            ttl,
            registration=registration,
            session=session,
            contents=contents,
            rehearsal=rehearsal,
        )
        path = self.tmp / f"{operation}-{request.id[:8]}.request"
        path.write_text(request.file_text())
        return request, private, path


@pytest.fixture
def room(tmp_path: Path, memory_tmp: Path) -> Iterator[Room]:
    with keys.new_component() as component, keys.new_component() as vault:
        yield Room(component, vault, split(component, 2, 3), tmp_path, memory_tmp)


def _stdin(shares: list[str]) -> str:
    return "\n".join(shares) + "\n"


def _session(room: Room) -> tuple[SessionCode, Path]:
    made = run_ceremony("session", "--out", str(room.memory / "room"), "--json")
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    key_file = Path(summary["session_key_file"])
    assert key_file.stat().st_mode & 0o777 == 0o600
    code = parse_session_code(summary["session_code"])
    assert parse_session_code(summary["typed_code"]) == code
    assert summary["check_words"] == list(code.check_words())
    return code, key_file


def test_recover_escrow_in_three_crossings_releases_only_the_kek(room: Room) -> None:
    code, key_file = _session(room)
    request, private, path = room.request("recover-escrow", session=code, contents=room.escrow())
    out = room.tmp / "answer.bundle"
    text_out = room.tmp / "answer.txt"
    fingerprint = keys.fingerprint(room.component, "custodian")
    result = run_authorize(
        "--request",
        str(path),
        "--session-key",
        str(key_file),
        "--out",
        str(out),
        "--text-out",
        str(text_out),
        "--ceremony-id",
        "drill-7",
        "--expect-fingerprint",
        fingerprint.lower(),
        "--json",
        stdin=_stdin([room.shares[2], room.shares[0]]),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["bundle"] == str(out) and summary["operation"] == "recover-escrow"
    assert (summary["user"], summary["survey"], summary["email"], summary["ticket"]) == (
        USER,
        SURVEY,
        EMAIL,
        "T-77",
    )
    assert summary["request_id"] == request.id
    assert summary["check_words"] == list(request.check_words())
    assert summary["fingerprints"] == keys.fingerprints(room.component, room.vault)
    assert not key_file.exists()  # the session key is wiped once used
    assert out.stat().st_mode & 0o777 == 0o600
    bundle = parse_bundle(out.read_bytes())
    assert parse_bundle(text_out.read_text()) == bundle
    assert summary["digest"] == __import__("hashlib").sha256(out.read_bytes()).hexdigest()
    verify_bundle(bundle, request, keys.export_signing_public_key(room.component))
    transcript = room.tmp / "answer-transcript.json"  # the signed transcript, beside the answer
    digest = hashlib.sha256(transcript.read_bytes()).hexdigest()
    assert summary["transcript"] == str(transcript) and summary["transcript_sha256"] == digest
    assert open_bundle(bundle, private) == {
        "payload_version": 2,
        "kek": KEK.hex(),
        "transcript_sha256": digest,
    }
    assert bundle.header.ceremony_id == "drill-7"
    for secret in (room.component.reveal().hex(), room.vault.reveal().hex()):
        assert secret not in out.read_bytes().hex() + result.stdout + result.stderr
    for share in room.shares:
        assert share not in result.stdout + result.stderr


def test_authorize_verify_from_a_typed_code_carries_no_key_half(room: Room) -> None:
    request, private, _ = room.request("verify")
    out = room.tmp / "verify.bundle"
    result = run_authorize(
        "--request",
        request.typed_code().lower(),
        "--out",
        str(out),
        stdin=_stdin(room.shares[:2]),
    )
    assert result.returncode == 0, result.stderr
    assert " ".join(request.check_words()) in result.stderr
    assert "Recovery drill" in result.stderr
    assert "Bundle written to" in result.stdout
    bundle = parse_bundle(out.read_bytes())
    verify_bundle(bundle, request, keys.export_signing_public_key(room.component))
    payload = open_bundle(bundle, private)
    assert set(payload) == {"payload_version", "attestation", "transcript_sha256", "shares_checked"}
    assert payload["attestation"]["export_key_check"] == keys.export_key_check_of(room.component)
    assert payload["attestation"]["request_id"] == request.id
    assert room.component.reveal().hex() not in json.dumps(payload)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("install", "genesis"),
        ("wrong fingerprint", "differs from the fingerprint"),
        ("expired", "expired"),
        ("no shares", "No shares"),
        ("one share", "share"),
        ("exists", "already exists"),
        ("garbage", "Group 2 contains '!'"),
    ],
)
def test_authorize_refusals_are_one_line_and_write_nothing(
    room: Room, case: str, message: str
) -> None:
    operation: Operation = "install" if case == "install" else "verify"
    ttl = timedelta(seconds=1) if case == "expired" else timedelta(minutes=30)
    _, _, path = room.request(operation, ttl)
    if case == "expired":
        stale = new_request(
            "verify",
            {},
            "v1",
            ttl,
            now=datetime.now(UTC) - timedelta(hours=1),
            registration=room.registration(),
        )
        path.write_text(stale[0].file_text())
    out = room.tmp / "refused.bundle"
    if case == "exists":
        out.write_bytes(b"keep me")
    args = ["--request", "not a code!" if case == "garbage" else str(path)]
    args += ["--out", str(out)]
    if case == "wrong fingerprint":
        args += ["--expect-fingerprint", "0000-0000-0000"]
    shares = {"no shares": [], "one share": room.shares[:1]}.get(case, room.shares[:2])
    result = run_authorize(*args, stdin=_stdin(shares) if shares else "")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()[-1]) > 10
    if case == "exists":
        assert out.read_bytes() == b"keep me"
    else:
        assert not out.exists()


def test_payload_table(room: Room) -> None:
    with keys.new_component() as vault:
        genesis = install_payload(vault, "slip39", 2, 3)
        assert genesis["vault_component"] == vault.reveal().hex()
    assert set(genesis) == {
        "payload_version",
        "vault_component",
        "share_scheme",
        "threshold",
        "count",
    }
    assert (genesis["share_scheme"], genesis["threshold"], genesis["count"]) == ("slip39", 2, 3)
    assert room.component.reveal().hex() not in json.dumps(genesis)


# -- nothing is sealed unseen: the review comes first, a person approves it ------------------


def _recover_args(room: Room, path: Path, key_file: Path, *extra: str) -> list[str]:
    return ["--request", str(path), "--session-key", str(key_file), *extra]


def test_recover_escrow_shows_whose_key_before_anything_is_sealed(room: Room) -> None:
    code, key_file = _session(room)
    _, _, path = room.request("recover-escrow", session=code, contents=room.escrow())
    shares = _stdin(room.shares[:2])
    review = run_ceremony(
        "authorize", *_recover_args(room, path, key_file, "--review-only"), stdin=shares
    )
    assert review.returncode == 0, review.stderr
    for shown in ("User:", USER, SURVEY, EMAIL, "T-77", "Nothing was sealed", "Approval:"):
        assert shown in review.stdout, shown
    digest = review.stdout.split("Review digest: ")[1].split()[0]
    assert f"--approve {digest}" in review.stdout
    assert key_file.exists()  # kept for the run that approves exactly this review
    assert not list(room.tmp.glob("*.bundle"))

    out = room.tmp / "answer.bundle"
    unnamed = run_ceremony(
        "authorize", *_recover_args(room, path, key_file, "--out", str(out)), stdin=shares
    )
    assert unnamed.returncode == 2 and "--review-only" in unnamed.stderr
    assert "Traceback" not in unnamed.stderr and not out.exists()
    assert not key_file.exists()  # a refusal spends the session key

    code, key_file = _session(room)
    _, _, path = room.request("recover-escrow", session=code, contents=room.escrow())
    review = run_ceremony(
        "authorize", *_recover_args(room, path, key_file, "--review-only", "--json"), stdin=shares
    )
    reviewed = json.loads(review.stdout)
    assert (reviewed["user"], reviewed["email"], reviewed["sealed"]) == (USER, EMAIL, False)
    wrong = "0000-0000-0000" if reviewed["review_digest"] != "0000-0000-0000" else "1111-1111-1111"
    other = run_ceremony(
        "authorize",
        *_recover_args(room, path, key_file, "--out", str(out), "--approve", wrong),
        stdin=shares,
    )
    assert other.returncode == 2 and reviewed["review_digest"] in other.stderr
    assert "Nothing was sealed" in other.stderr and not out.exists() and not key_file.exists()


def test_a_hostile_escrowed_email_is_shown_inert_in_the_review(room: Room) -> None:
    """The e-mail comes from the Vault side: a line break or a terminal escape in it must
    not forge a review line or rewrite what the quorum reads."""
    hostile = "ann@checktick.test\n  User:  99\x1b[2K\r\u202e"
    code, key_file = _session(room)
    contents = room.escrow(email=hostile)
    _, _, path = room.request("recover-escrow", session=code, contents=contents)
    review = run_ceremony(
        "authorize",
        *_recover_args(room, path, key_file, "--review-only"),
        stdin=_stdin(room.shares[:2]),
    )
    assert review.returncode == 0, review.stderr
    assert "\x1b" not in review.stdout and "\r" not in review.stdout
    assert "\u202e" not in review.stdout
    (line,) = [ln for ln in review.stdout.splitlines() if "E-mail in the recovery copy" in ln]
    assert line.endswith("ann@checktick.test\\n  User:  99\\x1b[2K\\r\\u202e"), line
    users = [ln for ln in review.stdout.splitlines() if ln.lstrip().startswith("User:")]
    assert len(users) == 1 and users[0].endswith(USER), users  # no forged line


def _run_at_a_terminal(argv: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run ``ceremony`` on a pseudo-terminal (its controlling terminal, as a person's shell
    gives it): wait for each prompt, type its answer; return the exit code and what it showed."""
    import fcntl
    import os
    import pty
    import select
    import subprocess
    import sys
    import termios

    from tests.cli import REPO, air_gapped

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    full, env, scratch = air_gapped([sys.executable, "-m", "ceremony", *argv], env)
    master, slave = pty.openpty()

    def take_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        full,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO,
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    os.close(slave)
    shown = ""
    pending = list(answers)

    def read_some() -> bool:
        nonlocal shown
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            return False
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            return False
        shown += chunk.decode(errors="replace")
        return bool(chunk)

    try:
        while read_some():
            if pending and shown.rstrip().endswith(pending[0][0]):
                os.write(master, (pending.pop(0)[1] + "\n").encode())
        return process.wait(timeout=120), shown
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
        __import__("shutil").rmtree(scratch, ignore_errors=True)


@pytest.mark.parametrize("answer", ["approve", "yes"])
def test_at_a_terminal_only_the_typed_approval_seals(room: Room, answer: str) -> None:
    code, key_file = _session(room)
    request, private, path = room.request("recover-escrow", session=code, contents=room.escrow())
    out = room.tmp / "answer.bundle"
    status, shown = _run_at_a_terminal(
        ["authorize", *_recover_args(room, path, key_file, "--out", str(out))],
        [("share 1:", room.shares[0]), ("share 2:", room.shares[2]), ("share 3:", ""),
         ("approve?", answer)],
    )  # fmt: skip
    assert EMAIL in shown and USER in shown and "Review digest:" in shown
    assert shown.index(EMAIL) < shown.index("approve?")  # the review before the question
    assert not key_file.exists()
    for share in room.shares:
        assert share not in shown  # typed at a hidden prompt
    if answer == "approve":
        assert status == 0, shown
        assert shown.index("approve?") < shown.index("Bundle written to")
        payload = open_bundle(parse_bundle(out.read_bytes()), private)
        assert (payload["payload_version"], payload["kek"]) == (2, KEK.hex())
        assert set(payload) == {"payload_version", "kek", "transcript_sha256"}
    else:
        assert status == 2 and "Not approved. Nothing was sealed." in shown
        assert not out.exists()
    assert request.id


# -- the session key never waits on a disk -------------------------------------------------


@pytest.mark.parametrize(
    "case", ["out exists", "no passphrase file", "not a request", "rehearsal flag", "no shares"]
)
def test_every_early_refusal_wipes_the_session_key(room: Room, case: str) -> None:
    code, key_file = _session(room)
    _, _, path = room.request("recover-escrow", session=code, contents=room.escrow())
    out = room.tmp / "answer.bundle"
    args = ["--request", "CTREQ2:NOTACODE" if case == "not a request" else str(path)]
    args += ["--session-key", str(key_file), "--out", str(out), "--approve", "0000-0000-0000"]
    if case == "out exists":
        out.write_bytes(b"keep me")
    if case == "no passphrase file":
        args += ["--passphrase-file", str(room.tmp / "missing.txt")]
    if case == "rehearsal flag":  # a rehearsal never answers a production Vault
        args += ["--rehearsal"]
    shares = "" if case == "no shares" else _stdin(room.shares[:2])
    result = run_ceremony("authorize", *args, stdin=shares)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not key_file.exists(), case
    assert out.read_bytes() == b"keep me" if case == "out exists" else not out.exists()


def test_a_file_that_is_no_session_key_is_never_wiped(room: Room) -> None:
    precious = room.memory / "notes.txt"
    precious.write_text("not a key\n")
    _, _, path = room.request("verify")
    result = run_ceremony(
        "authorize", "--request", str(path), "--session-key", str(precious), "--review-only",
        stdin=_stdin(room.shares[:2]),
    )  # fmt: skip
    assert result.returncode == 2 and "takes no --session-key" in result.stderr
    assert precious.read_text() == "not a key\n"


def test_a_real_room_keeps_its_session_key_only_in_memory(room: Room) -> None:
    on_disk = run_ceremony("session", "--out", str(room.tmp / "disk"), "--json")
    assert on_disk.returncode == 2
    assert "not in memory" in on_disk.stderr and "Traceback" not in on_disk.stderr
    assert not (room.tmp / "disk" / "session.key").exists()
    in_memory = run_ceremony("session", "--out", str(room.memory / "ok"), "--json")
    assert in_memory.returncode == 0, in_memory.stderr
    rehearsal = run_ceremony(
        "session", "--out", str(room.tmp / "practice"), "--rehearsal", "--json", network=True
    )
    assert rehearsal.returncode == 0, rehearsal.stderr  # a rehearsal key opens nothing real
    key_file = Path(json.loads(rehearsal.stdout)["session_key_file"])
    _, _, path = room.request("verify")
    real = run_ceremony(
        "authorize", "--request", str(path), "--session-key", str(key_file), "--review-only",
        stdin=_stdin(room.shares[:2]),
    )  # fmt: skip
    assert real.returncode == 2 and "not in memory" in real.stderr
    assert not key_file.exists()  # a key found on a disk is wiped, not used


# -- a real room and a practice Vault never meet -----------------------------------------------


@pytest.mark.parametrize("room_rehearses", [False, True])
def test_rehearsal_and_production_refuse_each_other_before_any_share(
    room: Room, room_rehearses: bool
) -> None:
    _, _, path = room.request("verify", rehearsal=not room_rehearses)
    flags = ["--rehearsal"] if room_rehearses else []
    result = run_ceremony(
        "authorize", "--request", str(path), "--review-only", *flags,
        stdin="not a share, never read\n",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    expected = "production Vault" if room_rehearses else "practice Vault"
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert "not a share" not in result.stderr  # refused before the shares were read


def test_a_version_of_5000_digits_is_one_line_in_authorize_and_vault_apply(room: Room) -> None:
    hostile = room.tmp / "hostile.request"
    hostile.write_text("CTREQ" + "9" * 5000 + ":")
    result = run_ceremony(
        "authorize", "--request", str(hostile), "--review-only", stdin=_stdin(room.shares[:2])
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not followed by a version" in result.stderr
    bundle = room.tmp / "hostile.bundle"
    bundle.write_text("CTBUNDLE" + "9" * 5000 + ":")
    applied = run_ceremony(
        "vault", "apply", str(bundle), env={"VAULT_ADDR": "http://127.0.0.1:9", "VAULT_TOKEN": "x"}
    )
    assert applied.returncode == 2, applied.stderr
    assert "Traceback" not in applied.stderr and "not a ceremony bundle" in applied.stderr


def test_adopt_without_an_escrow_says_nothing_is_proven_and_needs_the_flag(room: Room) -> None:
    code, key_file = _session(room)
    contents = RequestContents(Secret(room.vault.reveal(), "vault"))
    _, private, path = room.request("adopt", session=code, contents=contents)
    shares = _stdin(room.shares[:2])
    args = ["--request", str(path), "--session-key", str(key_file)]
    review = run_ceremony("authorize", *args, "--review-only", "--json", stdin=shares)
    assert review.returncode == 0, review.stderr
    shown = json.loads(review.stdout)
    assert "nothing proves these shares belong to it" in shown["summary"]
    assert shown["proved"] == "nothing: Vault holds no escrow"
    out = room.tmp / "adopt.bundle"
    approve = ["--out", str(out), "--approve", shown["review_digest"]]
    refused = run_ceremony("authorize", *args, *approve, stdin=shares)
    assert refused.returncode == 2 and "--no-escrow-proof" in refused.stderr
    assert not out.exists() and not key_file.exists()

    code, key_file = _session(room)
    contents = RequestContents(Secret(room.vault.reveal(), "vault"))
    _, private, path = room.request("adopt", session=code, contents=contents)
    args = ["--request", str(path), "--session-key", str(key_file)]
    review = run_ceremony("authorize", *args, "--review-only", "--json", stdin=shares)
    digest = json.loads(review.stdout)["review_digest"]
    approve = ["--out", str(out), "--approve", digest, "--no-escrow-proof"]
    sealed = run_ceremony("authorize", *args, *approve, stdin=shares)
    assert sealed.returncode == 0, sealed.stderr
    payload = open_bundle(parse_bundle(out.read_bytes()), private)
    assert payload["email_proof"] is False and "vault_component" not in payload
