# Sourced by the other tools: make sure the project's virtualenv exists and is up to date.
# The venv lives in .venv (override with GAN_BOOK_VENV); it is (re)installed when pyproject.toml
# changes. Needs python3 >= 3.10 with venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${GAN_BOOK_VENV:-.venv}
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating virtualenv $VENV ..."
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.gan-book-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "installing gan_lib and the book toolchain into $VENV (torch is large: minutes) ..."
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[book]"
  touch "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
