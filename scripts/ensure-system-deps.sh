#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to run Pilotage's tests and reports:
# Chromium's headless shell (PDF rendering; Puppeteer cannot download its own browser here; the
# full `chromium` works too, but costs more CPU per report) and poppler-utils (pdftotext,
# pdfinfo, pdffonts, pdftoppm: the tests read the PDFs they render).
set -euo pipefail
missing=()
command -v chromium-headless-shell >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium-headless-shell)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install: ${missing[*]} (or set CHROMIUM_PATH to a Chromium/Chrome binary)" >&2
  exit 1
fi
