#!/usr/bin/env bash
# Runs every ClusterD test on a fresh Debian 12 machine with the .NET 10 SDK (as root in CI).
# Installs what the tests need when it is missing, builds once in Release, then runs all test projects.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use (the membership tests need none: loopback UDP only). The agent
# tests run Debian's OCF agents (resource-agents; its Filesystem agent also needs modprobe from
# kmod and fuser from psmisc), MariaDB and haproxy for the resource and end-to-end tests; the fencing
# tests run Debian's fence agents (fence-agents: /usr/sbin/fence_dummy); the scheduler's differential
# tests compare it with Pacemaker's crm_simulate (pacemaker-cli-utils), and must not skip here; the
# end-to-end testbed (tests/e2e/testbed) needs ip, nsenter, losetup and mkfs.ext3 besides MariaDB and haproxy,
# and Corosync, Pacemaker and crmsh for its side-by-side baseline.
needed=(mariadb-server resource-agents haproxy kmod psmisc fence-agents pacemaker-cli-utils iproute2 util-linux e2fsprogs corosync pacemaker crmsh)
missing=()
for p in "${needed[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "test.sh: missing packages ${missing[*]}; run as root or install them first" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CLUSTERD_REQUIRE_CRM_SIMULATE=1
# The end-to-end tests build network namespaces, loop devices and mounts: as root (CI) they must run.
if [[ $(id -u) -eq 0 ]]; then export CLUSTERD_REQUIRE_E2E=1; fi
dotnet build ClusterD.sln -c Release
# A hung test must not eat the CI budget: dump and fail after 10 minutes without progress.
dotnet test ClusterD.sln -c Release --no-build --blame-hang-timeout 10m "$@"
