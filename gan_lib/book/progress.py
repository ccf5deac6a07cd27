"""Progress bars in chapters: shown to a reader running the notebook, absent from published outputs.

`tqdm.auto` picks tqdm's notebook widget inside Jupyter, and that widget ignores `TQDM_DISABLE`
(it turns an unset `disable` into False before tqdm reads the variable). A saved bar is a dead
widget in the HTML and a timing in nbval's comparison, so chapters wrap their loops with
`progress`, which honours the variable that the execute command, nbval's conftest and CI set.
"""

from __future__ import annotations

from typing import Iterable, TypeVar

from gan_lib.runtime import progress_disabled

__all__ = ["progress"]

T = TypeVar("T")


def progress(iterable: Iterable[T], **kwargs) -> Iterable[T]:
    """`tqdm.auto.tqdm(iterable, **kwargs)`, disabled when `TQDM_DISABLE` is 1/true/yes.

    Args:
        iterable: what to loop over.
        **kwargs: passed to tqdm (`desc`, `total`, ...); an explicit `disable` wins.
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("disable", progress_disabled())
    return tqdm(iterable, **kwargs)
