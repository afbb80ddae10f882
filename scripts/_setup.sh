# Shared set-up for the README's commands: a project virtual environment and
# the system libraries slagen and its tests need.  Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SLAGEN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

apt_install() {
  # apt_install PACKAGE... : install Debian packages that are missing (root or sudo).
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "slagen: please install: ${missing[*]} (no apt-get on this machine)" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "slagen: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_runtime_libraries() {
  # WeasyPrint renders PDF through Pango.
  if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 || true
  fi
}

ensure_venv() {
  # ensure_venv EXTRAS : create the venv on first use and install slagen into it.
  local extras="$1" stamp
  if [ ! -x "$VENV/bin/python" ]; then
    echo "slagen: creating virtual environment in $VENV" >&2
    "$PYTHON" -m venv "$VENV"
  fi
  stamp="$VENV/.slagen-installed-$extras"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}"
    touch "$stamp"
  fi
}
