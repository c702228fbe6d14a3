#!/usr/bin/env bash
# Installs the Debian packages the tests need, when missing (nothing happens when they
# are there). Used by .ci/run, `npm test` (pretest) and `npm start` (prestart).
#   bash .ci/apt-deps.sh             every package the tests need
#   bash .ci/apt-deps.sh PKG...      just these
# chromium + fonts: the browser that drives VS Code in the e2e tests; libkrb5-dev:
# code-server's kerberos module builds from source offline; texlive + biber: the LaTeX
# compile tests.
set -euo pipefail
ALL=(chromium fonts-liberation libkrb5-dev texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber)
if (($#)); then WANTED=("$@"); else WANTED=("${ALL[@]}"); fi

if ! command -v dpkg >/dev/null 2>&1; then
  echo "apt-deps: not a Debian-like system; install the equivalents of: ${WANTED[*]}" >&2
  exit 0
fi
missing=()
for p in "${WANTED[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
((${#missing[@]})) || exit 0
echo "apt-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
