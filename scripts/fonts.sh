#!/usr/bin/env bash
# The printed forms and reports are set in Times New Roman or its metric twin Liberation Serif
# (Debian: fonts-liberation). Installs it when missing and this user may; warns otherwise.
set -euo pipefail
fonts="$(fc-list 2>/dev/null || true)"  # read whole: grep -q would cut the pipe (pipefail)
if grep -qi "Liberation Serif\|Times New Roman" <<<"$fonts"; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing fonts-liberation (Liberation Serif) for the printed forms…"
  apt-get install -y -qq fonts-liberation >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq fonts-liberation >/dev/null; }
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get install -y -qq fonts-liberation >/dev/null
else
  echo "warning: neither Times New Roman nor Liberation Serif is installed; printed forms will" >&2
  echo "use another serif font. Install fonts-liberation (Debian/Ubuntu) or liberation-serif-fonts." >&2
fi
