#!/usr/bin/env bash
# The programs the integration tests drive for real (curl, wget, aria2c, headless Chromium and its driver), and
# the PostgreSQL server the PostgreSQL execution runs against (bin/test-postgresql.sh starts its own cluster), and
# nginx, the cluster tests' balancer, and Node.js with npm, which run tus-js-client and the reference @tus/server.
# Run by `mvn verify` before the first integration test: as root on Debian it installs what is missing;
# otherwise it stops the build at once, naming the command that installs it. No test is ever skipped.
# With the build's target folder as its argument, it also stops the build at once if that disk is too full.
set -euo pipefail

declare -A package_of=([curl]=curl [wget]=wget [aria2c]=aria2 [chromium]=chromium [chromedriver]=chromium-driver [node]=nodejs [npm]=npm)
missing=()
for tool in curl wget aria2c chromium chromedriver node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)

# Room for what the tests write under target/: at their peak S3Proxy holds the S3 tests' 1 GiB upload twice
# (its parts, then the joined object), beside the servers' data folders. Checked after any install.
check_disk() {
  [ -n "${TARGET_DIR:-}" ] || return 0
  local need_mib=2560 free_mib
  mkdir -p "$TARGET_DIR"
  free_mib=$(df -Pm "$TARGET_DIR" 2>/dev/null | awk 'NR == 2 {print $4}') || true
  if ! [[ "$free_mib" =~ ^[0-9]+$ ]]; then
    echo "Could not read the free space of $TARGET_DIR (df -Pm $TARGET_DIR); the integration tests need about 2.5 GiB there." >&2
    exit 1
  fi
  if [ "$free_mib" -lt "$need_mib" ]; then
    echo "The integration tests need about 2.5 GiB ($need_mib MiB) free on the file system of $TARGET_DIR; it has $free_mib MiB." >&2
    echo "Free some space there (df -h $TARGET_DIR shows it), then run mvn verify again." >&2
    exit 1
  fi
}
TARGET_DIR=${1:-}

if [ ${#missing[@]} -eq 0 ]; then
  check_disk
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the integration tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
  check_disk
  exit 0
fi

echo "The integration tests need ${missing[*]}, which this machine lacks. Install them, then run mvn verify again:" >&2
echo "    sudo apt-get install -y ${missing[*]}" >&2
exit 1
