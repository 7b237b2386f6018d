# Sourced by lock.sh and wheelhouse.sh: the one machine the lock and the wheelhouse are for.
# Linux x86_64, CPython 3.11, glibc 2.34 or newer (Debian 12, Ubuntu 22.04, Fedora 35 and later).
# Wheels only: nothing is compiled on the air-gapped laptop.
WHEEL_TARGET=(--only-binary=:all: --implementation cp --python-version 3.11 --abi cp311)
WHEEL_TARGET+=(--platform manylinux1_x86_64 --platform manylinux2010_x86_64 --platform manylinux2014_x86_64)
for minor in $(seq 5 34); do
  WHEEL_TARGET+=(--platform "manylinux_2_${minor}_x86_64")
done
