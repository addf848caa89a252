"""Seed files: saved news pages (.txt, .html, .htm, .md) on disk, turned into drafts.

A folder is walked recursively in name order; files with other extensions are ignored.  A file
that is binary or in no encoding we can read is skipped with a warning naming it, and the rest are
read.  A path that does not exist is an error the caller reports.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from bot.core.problem import Problem
from bot.ingest.cleaning import clean_page
from bot.ingest.text import UndecodableError, decode_bytes
from bot.store.drafts import Draft

log = logging.getLogger(__name__)

SEED_SUFFIXES = {".txt", ".html", ".htm", ".md"}
MAX_SEED_BYTES = 20 * 1024 * 1024


class MissingPathError(FileNotFoundError):
    pass


PACKAGED_SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # bot/seeds in an installed wheel
CHECKOUT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"  # the checkout's seeds/


def seed_corpus() -> str:
    """The seed corpus ``ingest`` and ``demo`` read when given no path: ``seeds`` in the
    current folder when there is one (a checkout, as the README's commands assume), else the
    copy shipped inside the package (``pip install``; setup.py maps ``seeds/`` to
    ``bot/seeds``), else the checkout this code runs from.  Raises
    :class:`MissingPathError` naming ``seeds`` when none exists."""
    if Path("seeds").is_dir():
        return "seeds"
    for folder in (PACKAGED_SEEDS, CHECKOUT_SEEDS):
        if folder.is_dir():
            return str(folder)
    raise MissingPathError("seeds")


@dataclass
class SeedScan:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, path as shown)
    skipped: list[tuple[str, Problem]] = field(default_factory=list)  # (path as shown, why)


def find_seed_files(paths: list[str]) -> SeedScan:
    """Expand files and folders; raise :class:`MissingPathError` naming a missing path."""
    scan = SeedScan()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise MissingPathError(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SEED_SUFFIXES:
                    scan.files.append((child, _shown(given, path, child)))
        else:
            scan.files.append((path, given))
    return scan


def _shown(given: str, root: Path, child: Path) -> str:
    """The file's path as the user would write it: relative to what they gave."""
    rel = child.relative_to(root).as_posix()
    return f"{given.rstrip('/')}/{rel}" if given not in (".", "./") else rel


def read_seed(path: Path, shown: str) -> Draft:
    """Read one seed file; raise :class:`UndecodableError` when it cannot be decoded."""
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        mib = MAX_SEED_BYTES // (1024 * 1024)
        raise UndecodableError("seed.too_large", f"larger than {mib} MiB", mib=mib)
    text = decode_bytes(path.read_bytes())
    page = clean_page(text)
    if not page.body.strip() and not page.title.strip():
        raise UndecodableError("seed.no_text", "no text")
    return Draft(
        title=page.title or path.stem,
        body=page.body,
        origin=shown,
        kind="seed",
        source=page.source,
        published_at=page.published.at.astimezone(UTC) if page.published else None,
        date_only=bool(page.published and page.published.date_only),
    )


def read_seeds(scan: SeedScan) -> Iterator[Draft]:
    for path, shown in scan.files:
        try:
            yield read_seed(path, shown)
        except (UndecodableError, OSError) as exc:
            reason = exc if isinstance(exc, UndecodableError) else _os_problem(exc)
            scan.skipped.append((shown, reason))
            log.debug("skipped %s: %s", shown, reason)  # the caller says it, in its language


def _os_problem(exc: OSError) -> Problem:
    """Why a seed file could not be read, as a catalog key (the CLI words it)."""
    text = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError):
        return Problem("seed.gone", text)
    if isinstance(exc, PermissionError):
        return Problem("seed.no_permission", text)
    return Problem("seed.unreadable", text, reason=text)
