"""``python -m tests.vault_double --port 8200 --root-token TOKEN``: like ``vault server -dev``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.vault_double.server import VaultDouble


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.vault_double")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--root-token", default="root")
    parser.add_argument(
        "--approle",
        metavar="ROLE_ID:SECRET_ID",
        help="also accept this AppRole login, with the checktick-ceremony policy",
    )
    args = parser.parse_args(argv)
    double = VaultDouble(args.root_token, args.host, args.port).start()
    if args.approle:
        role_id, _, secret_id = args.approle.partition(":")
        double.add_approle("ceremony", role_id, secret_id, ["checktick-ceremony"])
    print(f"Vault double listening on {double.url}", flush=True)
    print(f"export VAULT_ADDR={double.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
