"""The HTML book as a reader meets it: every page opened in headless Chromium.

Checks per page, at a 1280x1000 laptop window: no output block, table, equation, code block or
footer wider than its box (`scrollWidth <= clientWidth`); every image loaded; no console error from
the book's own files; no progress bar, no dead widget, no table split into several output boxes;
launch and repository links built from `_config.yml`; every equation typeset without a TeX error.

The pages come from `$GAN_BOOK_HTML` (tools/test builds `_build/html` first and sets it) or are
built here into a temporary folder. They are served over local HTTP. MathJax normally comes from a
CDN, which this test cannot reach: the page's MathJax address is rewritten to a local copy of the
same MathJax 3 (the `mathjax` npm package; `tools/env.sh` installs it, `$GAN_BOOK_MATHJAX` points
elsewhere), so equations are really typeset and measured. The widget manager and require.js stay
on their CDN; their load failures are not the book's errors and are ignored.

Needs Debian's `chromium` and `chromium-driver` (apt) and `selenium`; see README.md.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
WINDOW = (1280, 1000)
CHROMIUM = os.environ.get("GAN_BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GAN_BOOK_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL_HINT = "install them with `apt-get install -y chromium chromium-driver` (see README.md)"

# Elements that must fit their own box: text outputs, tables, display math, code, the footer.
MEASURED = [
    "div.cell_output pre", "div.cell_output table", "div.cell_output .output",
    "div.highlight pre", "mjx-container[display='true']", "div.math", "table",
    "footer", ".bd-footer-content",
]

MEASURE_JS = """
const selectors = arguments[0];
const out = {clipped: [], images: [], mathErrors: 0, math: 0, widgets: 0, multiStream: 0,
             progress: []};
const seen = new Set();
for (const sel of selectors) {
  for (const el of document.querySelectorAll(sel)) {
    if (seen.has(el) || el.offsetParent === null) continue;  // hidden: nothing a reader sees
    seen.add(el);
    if (el.scrollWidth > el.clientWidth + 1) {
      out.clipped.push({sel: sel, scroll: el.scrollWidth, client: el.clientWidth,
                        text: (el.innerText || '').trim().split('\\n')[0].slice(0, 70)});
    }
  }
}
for (const img of document.querySelectorAll('article img, main img')) {
  if (!img.complete || img.naturalWidth === 0) out.images.push(img.getAttribute('src'));
}
out.math = document.querySelectorAll('mjx-container').length;
out.mathErrors = document.querySelectorAll('mjx-merror').length;
out.widgets = document.querySelectorAll(
  '.jupyter-widgets, script[type="application/vnd.jupyter.widget-view+json"]').length;
for (const cell of document.querySelectorAll('div.cell_output')) {
  if (cell.querySelectorAll(':scope > .output.stream').length > 1) out.multiStream += 1;
}
const bar = /\\d+%\\|.*\\||\\d+(\\.\\d+)?(it|step)s?\\/s\\]/;
for (const pre of document.querySelectorAll('div.cell_output pre')) {
  if (bar.test(pre.innerText)) out.progress.push(pre.innerText.slice(0, 70));
}
return out;
"""


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def _mathjax_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = Path(os.environ.get("GAN_BOOK_MATHJAX", cache / "gan_book/node/node_modules/mathjax"))
    if not (path / "es5/tex-mml-chtml.js").exists():
        pytest.fail(
            f"no local MathJax 3 at {path} (es5/tex-mml-chtml.js); `source tools/env.sh && "
            "gan_book_node_tools` installs it with npm, or set GAN_BOOK_MATHJAX to a mathjax@3 folder"
        )
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built book copied to a temporary folder, MathJax made local, served over HTTP."""
    built = os.environ.get("GAN_BOOK_HTML")
    if built:
        html = Path(built)
        if not (html / "index.html").exists():
            pytest.fail(f"GAN_BOOK_HTML={built} has no index.html; build the book (tools/build) first")
    else:
        out = tmp_path_factory.mktemp("build")
        exe = Path(sys.executable).with_name("jupyter-book")
        cmd = [str(exe), "build", str(ROOT), "--path-output", str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        html = out / "_build/html"
        if done.returncode or not (html / "index.html").exists():
            pytest.fail(f"jupyter-book build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    served = tmp_path_factory.mktemp("site") / "html"
    shutil.copytree(html, served)
    shutil.copytree(_mathjax_dir() / "es5", served / "_local_mathjax/es5")
    for page in served.rglob("*.html"):
        text = page.read_text()
        if MATHJAX_CDN in text:
            page.write_text(text.replace(MATHJAX_CDN, "/_local_mathjax/es5/tex-mml-chtml.js"))
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output for failures
        pass


@pytest.fixture(scope="module")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"headless browser test needs {missing}; {INSTALL_HINT}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _pages(served: Path) -> list[str]:
    skip = {"genindex.html", "search.html"}
    return sorted(
        str(p.relative_to(served)) for p in served.rglob("*.html")
        if p.name not in skip and not any(part.startswith("_") for part in p.relative_to(served).parts)
    )


def _wait_for_math(driver) -> None:
    driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const start = Date.now();
        if (!document.querySelector('script[src*="mathjax"]')) { done(true); return; }  // no math
        (function wait() {
          if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
            MathJax.startup.promise.then(() => done(true), () => done(false));
          } else if (Date.now() - start > 10000) { done(false); } else { setTimeout(wait, 50); }
        })();"""
    )


def _link_problems(driver, page: str) -> list[str]:
    """Launch buttons and the repository button must point at this repository's notebooks."""
    config = _config()
    repo = config["repository"]["url"].rstrip("/")
    owner_repo = urlparse(repo).path.strip("/")
    branch = config["repository"].get("branch", "main")
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href') || '')")
    problems = []
    is_chapter = re.match(r"book/\d\d_\w+\.html$", page)
    notebook = page[:-5] + ".ipynb"
    binder = [h for h in hrefs if "mybinder.org" in h]
    colab = [h for h in hrefs if "colab.research.google.com" in h]
    repo_links = [h for h in hrefs if h.rstrip("/") == repo]
    if not repo_links:
        problems.append(f"no repository link to {repo}")
    for h in hrefs:
        if "github.com" in h and not h.startswith(repo) and "github.com/executablebooks" not in h:
            problems.append(f"link to a repository other than {repo}: {h}")
    if is_chapter:
        want_colab = f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{notebook}"
        if colab != [want_colab]:
            problems.append(f"Colab launch links {colab}, expected [{want_colab}]")
        want_binder = f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=tree/{notebook}"
        if binder != [want_binder]:
            problems.append(f"Binder launch links {binder}, expected [{want_binder}]")
    return problems


def _own_console_errors(driver, base: str) -> list[str]:
    """SEVERE console entries that come from the book's own files (served from `base`)."""
    errors = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        message = entry["message"]
        if "/favicon.ico" in message:  # the browser asks for it by itself; the book has none
            continue
        # CDN assets (widget manager, require.js) cannot load offline: not the book's errors
        if base in message or not re.search(r"https?://", message):
            errors.append(message[:200])
    return errors


def _screenshot(driver, path: Path) -> None:
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 20000)
    driver.set_window_size(WINDOW[0], height)
    driver.save_screenshot(str(path))
    driver.set_window_size(*WINDOW)


def test_every_page_fits_loads_and_links(site, browser):
    served, base = site
    pages = _pages(served)
    # tools/screenshot sets this: full-page screenshots of every chapter, for a person to look at
    shots = Path(os.environ["GAN_BOOK_SCREENSHOTS"]) if os.environ.get("GAN_BOOK_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    assert len(pages) >= 3, f"only {pages} were built"
    report, clipped_total, clipped_kinds = {}, 0, {}
    for page in pages:
        browser.get(f"{base}/{page}")
        _wait_for_math(browser)
        found = browser.execute_script(MEASURE_JS, MEASURED)
        clipped_total += len(found["clipped"])
        for c in found["clipped"]:
            clipped_kinds[c["sel"]] = clipped_kinds.get(c["sel"], 0) + 1
        problems = [
            f"clipped {c['sel']} ({c['scroll']}px in {c['client']}px): {c['text']!r}"
            for c in found["clipped"]
        ]
        problems += [f"image not loaded: {src}" for src in found["images"]]
        if found["mathErrors"]:
            problems.append(f"{found['mathErrors']} equations with TeX errors")
        has_math = (served / page).read_text().count('class="math') > 0
        if has_math and found["math"] == 0:
            problems.append("the page has math but MathJax typeset none of it")
        if found["widgets"]:
            problems.append(f"{found['widgets']} widget views, dead without a kernel (show a static twin)")
        if found["multiStream"]:
            problems.append(f"{found['multiStream']} cells whose text is split into several output boxes")
        problems += [f"progress bar in an output: {p!r}" for p in found["progress"]]
        problems += _own_console_errors(browser, base)
        problems += _link_problems(browser, page)
        if shots and re.match(r"book/\d\d_", page):
            _screenshot(browser, shots / (Path(page).stem + ".png"))
        if problems:
            report[page] = problems
    print(f"{len(pages)} pages, {clipped_total} clipped blocks {clipped_kinds}")
    assert not report, f"{clipped_total} clipped blocks; problems per page:\n" + json.dumps(report, indent=1)


def _is_progress_widget(data: dict, metadata: dict) -> bool:
    """A tqdm bar saved as a widget: an HBox holding a FloatProgress (or IntProgress) model."""
    view = data.get("application/vnd.jupyter.widget-view+json")
    if not view:
        return False
    if "Progress(" in data.get("text/plain", ""):
        return True
    state = metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    model = models.get(view.get("model_id"), {})
    children = [c.removeprefix("IPY_MODEL_") for c in model.get("state", {}).get("children", [])]
    names = [model.get("model_name", "")] + [models.get(c, {}).get("model_name", "") for c in children]
    return any(name.endswith("ProgressModel") for name in names)


def test_no_progress_bar_in_committed_notebooks():
    """tqdm widgets or bars in saved outputs would be published (and compared by nbval)."""
    import nbformat

    bar = re.compile(r"\d+%\|.*\||\d+(\.\d+)?(it|step)s?/s\]")
    found = []
    book = Path(os.environ.get("GAN_BOOK_NOTEBOOKS", ROOT / "book"))  # another copy, to check it
    for path in sorted(book.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                text = out.get("text", "") + data.get("text/plain", "")
                if _is_progress_widget(data, nb.metadata):
                    found.append(f"{path.name} code cell {i + 1}: a progress widget")
                elif bar.search(text):
                    found.append(f"{path.name} code cell {i + 1}: {bar.search(text).group(0)!r}")
    assert not found, "progress bars in published outputs (set TQDM_DISABLE=1 when executing):\n" + \
        "\n".join(found)
