#!/usr/bin/env bash
# Shared set-up for tools/run-app and tools/run-tests: the Debian packages Qt needs on a bare
# machine (see shared/qt-on-linux.md), then a virtual environment in .venv with clinic_app
# installed in editable mode. Safe to run again: it only installs what is missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"
python_bin="${PYTHON:-python3}"

# Packages Qt needs to import and run offscreen, fonts for screenshots and PDFs, poppler for
# reading PDFs back, Xvfb for a real window on a virtual screen.
debian_packages=(
  libglib2.0-0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 poppler-utils
  python3-venv
)

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: nothing to do here
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "clinic_app needs these Debian packages: ${missing[*]}" >&2
      echo "Install them as root: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_python_env() {
  local extras="$1"
  if [ ! -x "$venv/bin/python" ]; then
    "$python_bin" -m venv "$venv"
  fi
  # Reinstall only when pyproject.toml or the extras changed since the last install.
  local stamp="$venv/.clinic_app-installed"
  local want
  want="$extras $(sha256sum "$repo/pyproject.toml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q -e "$repo[$extras]"
  echo "$want" > "$stamp"
}
