#!/bin/sh
# Installs, with apt, the Debian 12 packages that building and testing k8tls-wizard need and
# that are not installed yet. Safe to run again: it installs only what is missing.
set -e
pkgs="gcc make autoconf automake autopoint gettext pkg-config libssl-dev libyaml-dev
libcdk5-dev libncurses-dev check openssl tmux openjdk-17-jdk-headless python3 python3-yaml
python3-jsonschema python3-cryptography kubernetes-client valgrind clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
  case "$p" in
    kubernetes-client) command -v kubectl >/dev/null 2>&1 && continue ;;
    openjdk-17-jdk-headless) command -v javac >/dev/null 2>&1 && command -v keytool >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
