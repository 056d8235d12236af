#!/usr/bin/env bash
# Installs what the tests and the demo run for real: HAProxy, OpenSSH server and socat from
# Debian. Does nothing when they are already there. Needs root (or sudo) only when installing.
set -euo pipefail

missing=()
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v socat >/dev/null 2>&1 || missing+=(socat)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# sshd refuses to start without its privilege-separation directory.
if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd; fi
# sed reads all of it: with pipefail, `head` closing early could fail the script with SIGPIPE.
haproxy -v | sed -n 1p
