"""Defaults for `pytest --nbval book/`: the chapters run in the `smoke` profile with the sanitizer.

So that the command maintainers know works as typed, with no flags or variables; explicit flags and
variables still win (`GAN_BOOK_PROFILE=cpu pytest --nbval book/` runs the cpu profile).
"""

from __future__ import annotations

import os
from pathlib import Path

SANITIZE_FILE = Path(__file__).with_name("nbval_sanitize.cfg")


def pytest_configure(config):
    if not getattr(config.option, "nbval", False) and not getattr(config.option, "nbval_lax", False):
        return
    # The kernel inherits this process's environment (nbval starts it after configuration).
    os.environ.setdefault("GAN_BOOK_PROFILE", "smoke")
    os.environ.setdefault("TQDM_DISABLE", "1")  # progress bars would put timings in outputs
    # Figures inline, as in Jupyter: with a non-interactive backend such as Agg from the caller's
    # shell, plt.show() displays nothing and nbval reports missing outputs.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    if config.option.nbval_sanitize_with is None:
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)
    # The project's own environment (the one running pytest), not whatever kernel is registered.
    if not config.option.nbval_kernel_name:
        config.option.nbval_current_env = True
