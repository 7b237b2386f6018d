#!/usr/bin/env bash
# Regenerates requirements/runtime.lock: every runtime dependency (and theirs) pinned to one
# wheel for the target in wheel-target.sh, with its SHA-256. Needs the package index.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wheel-target.sh
PY=${PY:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" - >"$work/requirements.in" <<'PYEOF'
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PYEOF

# A resolution for the target machine, not this one: a dry run reports the chosen wheels.
"$PY" -m pip install --quiet --dry-run --ignore-installed "${WHEEL_TARGET[@]}" \
  --report "$work/report.json" -r "$work/requirements.in"

# A pip --report as a lock: a header, then each package pinned to its one wheel by SHA-256.
write_lock() {  # REPORT HEADER
  "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
print(sys.argv[2])
for item in sorted(report["install"], key=lambda i: i["metadata"]["name"].lower()):
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    url = item["download_info"]["url"].rsplit("/", 1)[-1]
    digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
    print(f"{name}=={version} \\\n    --hash=sha256:{digest}\n    # {url}")
PYEOF
}

write_lock "$work/report.json" "# Runtime dependencies of custodian-ceremony, each pinned to one wheel by SHA-256.
# Target: Linux x86_64, CPython 3.11, glibc 2.34 or newer; wheels only.
# Regenerate with scripts/lock.sh; install with scripts/offline-install.sh." \
  >requirements/runtime.lock
echo "lock: wrote requirements/runtime.lock ($(grep -c '^[A-Za-z]' requirements/runtime.lock) packages)"

# The build backend that makes the project's own wheel (on the online machine, from
# wheelhouse.sh): setuptools and wheel, pure-Python wheels pinned by SHA-256.
printf 'setuptools\nwheel\n' >"$work/build.in"
"$PY" -m pip install --quiet --dry-run --ignore-installed --only-binary=:all: \
  --report "$work/build.json" -r "$work/build.in"
write_lock "$work/build.json" "# Build backend for the project's own wheel, each pinned to one wheel by SHA-256.
# Installed with --require-hashes into a throwaway venv; the wheel is then built with
# --no-build-isolation so nothing else is fetched. Regenerate with scripts/lock.sh." \
  >requirements/build.lock
echo "lock: wrote requirements/build.lock ($(grep -c '^[A-Za-z]' requirements/build.lock) packages)"
