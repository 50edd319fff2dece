#!/usr/bin/env bash
# Set-up of `make cluster` and its tests: Debian's nginx (the load balancer in front of the Rasa and
# action servers). Idempotent: when nginx is installed it changes and prints nothing. The package's own
# service is never started (the cluster runs nginx as a child process with its own configuration).
set -euo pipefail

if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; then
  exit 0
fi
echo "setup_cluster: installing nginx from Debian"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# RUNLEVEL=1 keeps the package's init script from starting a system-wide nginx on port 80.
RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
  || RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx >/dev/null
echo "setup_cluster: $(/usr/sbin/nginx -v 2>&1)"
