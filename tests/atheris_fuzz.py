"""Coverage-guided fuzzing of the parsers with atheris (libFuzzer), for `make fuzz`.

    .venv/bin/python -m tests.atheris_fuzz -runs=100000 [libFuzzer options] [CORPUS_DIR]

The first input byte picks the target; the rest is its input. Seeds are valid
shares, a request code and a bundle, written to a temporary corpus. Any
exception other than a CeremonyError with a message is a crash, saved by
libFuzzer as ``crash-<sha1>`` in the working directory.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["ceremony", "shamir_mnemonic"]):
    from ceremony import gap
    from ceremony.errors import CeremonyError
    from ceremony.shares import combine, inspect
    from ceremony.shares.session import RecoverySession
    from tests.fuzz_material import NOW, gap_material, hostile_codes
    from tests.sharesets import make_set


def _fixtures() -> tuple[gap.Request, object, bytes, list[str]]:
    material = gap_material()
    shares = make_set(3, 5, seed=7)[1] + make_set(3, 4, seed=9, scheme="checktick")[1]
    return material.request, material.request_key, material.bundle.to_bytes(), shares


REQUEST, REQUEST_KEY, BUNDLE, SHARES = _fixtures()
SIGNER = gap.parse_bundle(BUNDLE).header.signer_public_key


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _shares(data: bytes) -> None:
    inspect(_text(data))


def _combine(data: bytes) -> None:
    combine(_text(data).split("\n")).wipe()


def _session(data: bytes) -> None:
    session = RecoverySession()
    for line in _text(data).split("\n"):
        try:
            session.add(line)
        except CeremonyError as err:
            _check_message(err)
    if session.state().complete:
        session.recover().wipe()


def _request(data: bytes) -> None:
    gap.parse_request(data, now=NOW)


def _bundle(data: bytes) -> None:
    bundle = gap.parse_bundle(data)
    gap.verify_bundle(bundle, REQUEST, SIGNER, now=NOW)
    gap.open_bundle(bundle, REQUEST_KEY)  # type: ignore[arg-type]


TARGETS: tuple[Callable[[bytes], None], ...] = (_shares, _combine, _session, _request, _bundle)


def _check_message(err: CeremonyError) -> None:
    if not err.message.strip():
        raise AssertionError(f"{type(err).__name__} without a message")


def one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    try:
        target(data[1:])
    except CeremonyError as err:
        _check_message(err)


def _seed_corpus() -> str:
    corpus = Path(tempfile.mkdtemp(prefix="ceremony-fuzz-corpus-"))
    seeds = [bytes([0]) + s.encode() for s in SHARES]
    seeds.append(bytes([1]) + "\n".join(SHARES[:3]).encode())
    seeds.append(bytes([2]) + "\n".join(SHARES[5:8]).encode())
    seeds += [bytes([3]) + code.encode() for code in (REQUEST.typed_code(), REQUEST.qr_payload())]
    seeds.append(bytes([4]) + BUNDLE)
    seeds += [bytes([3 + i % 2]) + code.encode() for i, code in enumerate(hostile_codes())]
    for i, seed in enumerate(seeds):
        (corpus / f"seed-{i}").write_bytes(seed)
    return str(corpus)


def main() -> None:
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(_seed_corpus())
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
