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

"$PY" - "$work/report.json" >requirements/runtime.lock <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
print("# Runtime dependencies of custodian-ceremony, each pinned to one wheel by SHA-256.")
print("# Target: Linux x86_64, CPython 3.11, glibc 2.34 or newer; wheels only.")
print("# Regenerate with scripts/lock.sh; install with scripts/offline-install.sh.")
for item in sorted(report["install"], key=lambda i: i["metadata"]["name"].lower()):
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    url = item["download_info"]["url"].rsplit("/", 1)[-1]
    digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
    print(f"{name}=={version} \\\n    --hash=sha256:{digest}\n    # {url}")
PYEOF
echo "lock: wrote requirements/runtime.lock ($(grep -c '^[A-Za-z]' requirements/runtime.lock) packages)"

# The build backend that makes the project's own wheel (on the online machine, from
# wheelhouse.sh): setuptools and wheel, pure-Python wheels pinned by SHA-256.
printf 'setuptools\nwheel\n' >"$work/build.in"
"$PY" -m pip install --quiet --dry-run --ignore-installed --only-binary=:all: \
  --report "$work/build.json" -r "$work/build.in"
"$PY" - "$work/build.json" >requirements/build.lock <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
print("# Build backend for the project's own wheel, each pinned to one wheel by SHA-256.")
print("# Installed with --require-hashes into a throwaway venv; the wheel is then built with")
print("# --no-build-isolation so nothing else is fetched. Regenerate with scripts/lock.sh.")
for item in sorted(report["install"], key=lambda i: i["metadata"]["name"].lower()):
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    url = item["download_info"]["url"].rsplit("/", 1)[-1]
    digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
    print(f"{name}=={version} \\\n    --hash=sha256:{digest}\n    # {url}")
PYEOF
echo "lock: wrote requirements/build.lock ($(grep -c '^[A-Za-z]' requirements/build.lock) packages)"
