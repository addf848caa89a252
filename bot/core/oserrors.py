"""Why the operating system refused, as a catalog key (:mod:`bot.present.i18n`) instead of its
English ``strerror``: the surfaces word it in their language
(:func:`bot.present.problems.os_reason_text`)."""

from __future__ import annotations

import errno

_KEYS = {
    errno.ENOENT: "os.not_found",
    errno.EISDIR: "os.is_directory",
    errno.ENOTDIR: "os.not_directory",
    errno.EACCES: "os.permission",
    errno.EPERM: "os.permission",
    errno.ENOSPC: "os.no_space",
    errno.EROFS: "os.read_only",
}


def os_reason(exc: OSError) -> tuple[str, dict[str, object]]:
    """The catalog key of ``exc``'s cause and its values (an unusual one: by its errno name)."""
    key = _KEYS.get(exc.errno or 0)
    if key is not None:
        return key, {}
    code = errno.errorcode.get(exc.errno or 0, exc.__class__.__name__)
    return "os.other", {"code": code}
