"""A value or an input that is not as expected, said as a catalog key and its values.

The layers below :mod:`bot.present` may not word anything for users; they raise (or record) a
:class:`Problem` naming a message key (:mod:`bot.present.i18n`) and its values, and the surface
words it in its language (:func:`bot.present.problems.problem_text`).  ``str()`` is the English
given beside the key, for logs and for callers that only log it.
"""

from __future__ import annotations

from typing import Any


class Problem(ValueError):
    def __init__(self, key: str, english: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(english)
