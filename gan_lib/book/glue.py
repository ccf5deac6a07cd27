"""`glue`: hand a computed number to the book's prose, with or without the book toolchain.

The published book (jupyter-book) fills `` {glue:text}`name` `` in the prose from values a cell
glued with myst-nb. A reader on Colab or Binder runs the chapter without that toolchain, so a
chapter must not import myst-nb itself: it calls this `glue`, which uses myst-nb's when it is
installed and otherwise records the value (in `glued`) and, like myst-nb, displays it unless
`display=False`. Either way the chapter runs and every number that is displayed still prints.
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue", "glued"]

#: every value glued in this process, by name (the record when myst-nb is not installed)
glued: dict[str, Any] = {}


def glue(name: str, value: Any, display: bool = True) -> None:
    """Record `value` under `name` for the prose; display it unless `display=False`.

    Args:
        name: the name the prose refers to (`` {glue:text}`name:.3f` ``).
        value: a number, string, figure or anything IPython can display.
        display: also show the value as the cell's output (myst-nb's default).
    """
    glued[name] = value
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # a reader's environment (Colab, Binder, pip): no book toolchain
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)
