"""``python -m tests.leaky_ceremony split ...``: the ceremony command with a planted leak.

``split`` here also writes the component it splits into a file in ``$TMPDIR``,
as a careless library might. The secrets-at-rest test runs it to prove that its
scan sees the temporary folder of a command run in memory-only folders.
"""

from __future__ import annotations

import sys
import tempfile
from typing import Any

from ceremony.cli import main, share_commands
from ceremony.secret import Secret
from ceremony.shares import split_policy

_split_policy = split_policy


def _leaky_split_policy(component: Secret, *args: Any, **kwargs: Any) -> list[str]:
    with tempfile.NamedTemporaryFile(prefix="scratch-", delete=False) as scratch:
        scratch.write(component.reveal())
    return _split_policy(component, *args, **kwargs)


if __name__ == "__main__":
    vars(share_commands)["split_policy"] = _leaky_split_policy
    sys.exit(main())
