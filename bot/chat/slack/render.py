"""A :class:`~bot.present.reply.Reply` as Slack Block Kit messages.

:func:`render_reply` returns a list of message payloads ``{"text": fallback, "blocks": [...]}``,
ready for ``chat.postMessage`` or a ``response_url``.  The same reply always gives the same
payloads (the outbox resumes a delivery at part *k*).

Escaping — every string of a reply is untrusted plain text (feed titles, user input):

* ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;`` everywhere (mrkdwn, plain_text
  and the fallback text), so ``<!channel>``, ``<!here>``, ``<@U…>``, ``<#C…>``,
  ``<!subteam^…>`` and ``<url|label>`` from a feed show as text and never parse;
* a bare ``@here``, ``@channel``, ``@everyone`` or ``@group`` gets a WORD JOINER (U+2060) after
  the ``@``, so it never pings even where Slack would parse bare mentions;
* every mrkdwn text object carries ``"verbatim": true``: no automatic linking of bare URLs or
  channel names, no automatic mention parsing;
* control characters other than newline and tab, U+2028/U+2029 and invisible format characters
  are removed, as for Discord (:mod:`bot.present.text_hygiene`); single-line fields (titles, meta,
  headings) have their line breaks folded into spaces;
* a title is linked only when its URL is ``http`` or ``https`` with a host, at most
  :data:`MAX_URL` characters; the URL's ``&`` is escaped and ``<``, ``>``, ``|``, quotes, spaces
  and control characters are percent-encoded; the label is escaped like any text.  Other URLs
  (``javascript:``, ``slack:``, relative…) are not linked and not shown.

Limits (Slack's documented ones, and a margin under the undocumented cumulative one):
:data:`MAX_BLOCKS` blocks per message, :data:`SECTION_TEXT` characters per section text,
:data:`HEADER_TEXT` per header, one element per context block, :data:`FALLBACK_TEXT` for the
fallback text and :data:`MESSAGE_TEXT` characters of block text per message (Slack rejects
messages with ``msg_blocks_too_long`` somewhere above ~11,000).  Lengths are counted in UTF-16
code units after escaping, as Slack counts them.

Splitting — nothing is dropped:

* the reply's text is cut into sections at line breaks; a line longer than a section is split
  across sections;
* each card is one section of at most :data:`CARD_TEXT` characters (:data:`SECTION_TEXT` when it
  is the reply's only card); a longer card keeps its title and meta and has its facts and
  snippet cut with ``…``, so a digest of long stories stays a few messages;
* cards are packed greedily into messages; when a section's cards continue in the next message,
  that message repeats the section heading; each message of a split reply repeats the title
  with ``(i/n)``; the footer goes in the last message.

A reply's picture is one more part, after the messages (a picture the channel refuses then
holds nothing back): ``{"upload": {"filename", "title", "alt", "data"}}``, which the poster sends with the files API v2
(:meth:`bot.chat.slack.post.SlackPoster.upload`); its title and alt text are cleaned like any
text (Slack shows them as plain text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.present.reply import Card, Reply
from bot.present.text_hygiene import clean, fit_outlets, one_line, pack_lines, utf16_len

CONFIRM_ACTION = "newsbot_confirm"  # the action_id of a reply's confirm button
MAX_BLOCKS = 50
SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_TEXT = 3000
FALLBACK_TEXT = 3000
MESSAGE_TEXT = 8000
MAX_URL = 1000
CARD_TEXT = 1500

TITLE_CHARS = 300  # a card title (plus a URL of up to MAX_URL, plus the meta: < CARD_TEXT)
META_CHARS = 150
HEADING_CHARS = 300
ELLIPSIS = "…"
WORD_JOINER = "\u2060"

_BROADCAST = re.compile(r"@(?=(?:here|channel|everyone|group))", re.IGNORECASE)
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>|\"'`\\]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

Block = dict[str, Any]
Payload = dict[str, Any]


ulen = utf16_len  # length as Slack counts it


def _clean(text: str, single_line: bool = False) -> str:
    text = one_line(text) if single_line else clean(text)
    return _BROADCAST.sub("@" + WORD_JOINER, text)


def _pieces(text: str, single_line: bool = False) -> list[str]:
    """The escaped text, one piece per character, so cuts never split an entity."""
    return [_ESCAPES.get(ch, ch) for ch in _clean(text, single_line)]


def escape(text: str, single_line: bool = False) -> str:
    """Untrusted plain text as Slack text: entities for ``& < >``, broadcasts defused."""
    return "".join(_pieces(text, single_line))


def _clip(text: str, limit: int, single_line: bool) -> tuple[str, bool]:
    pieces = _pieces(text, single_line)
    whole = "".join(pieces)
    if ulen(whole) <= limit:
        return whole, False
    out: list[str] = []
    used = 0
    for piece in pieces:
        size = ulen(piece)
        if used + size > limit - 1:
            break
        out.append(piece)
        used += size
    return "".join(out).rstrip() + ELLIPSIS, True


def clip(text: str, limit: int, single_line: bool = False) -> str:
    """:func:`escape`, cut to at most ``limit`` units with a trailing ``…`` when cut."""
    return _clip(text, limit, single_line)[0]


def chunks(text: str, limit: int) -> list[str]:
    """:func:`escape`, split into pieces of at most ``limit`` units: at line breaks when
    possible, inside a line when a line alone is too long.  Nothing is dropped."""
    return pack_lines((_line_pieces(line, limit) for line in _clean(text).split("\n")), limit)


def _line_pieces(line: str, limit: int) -> list[str]:
    """One line escaped, whole when it fits ``limit``, else cut between entities."""
    escaped = [_ESCAPES.get(ch, ch) for ch in line]
    joined = "".join(escaped)
    if ulen(joined) <= limit:
        return [joined]
    out: list[str] = []
    piece: list[str] = []
    used = 0
    for p in escaped:
        size = ulen(p)
        if used + size > limit:
            out.append("".join(piece))
            piece, used = [], 0
        piece.append(p)
        used += size
    return [*out, "".join(piece)]


def safe_url(url: str | None) -> str | None:
    """The URL ready for ``<url|label>``, or None when it must not be linked."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    url = _URL_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)
    url = url.replace("&", "&amp;")
    return url if len(url) <= MAX_URL else None


def link(url: str | None, label: str, limit: int = TITLE_CHARS) -> str:
    """``<url|label>`` for an http(s) URL, else the escaped label alone."""
    target = safe_url(url)
    text = clip(label, limit, single_line=True) or clip(url or "", limit, single_line=True)
    if target is None:
        return text
    return f"<{target}|{text}>"


def story_line(card: Card) -> str:
    """The story's other outlets, each linked to its report: "3개 매체: <url|연합뉴스> · …"
    (within a context element's limit; the outlets that do not fit are counted)."""
    assert card.story is not None
    head = clip(card.story.label, 60, single_line=True) + ": "
    links = [link(item.url, item.label, 80) for item in card.story.links]
    return head + " · ".join(fit_outlets(links, CONTEXT_TEXT - ulen(head)))


# -- blocks ---------------------------------------------------------------------------------


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def header(title: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


DIVIDER: Block = {"type": "divider"}


def block_text_size(block: Block) -> int:
    """Characters of text a block carries (what Slack's cumulative limit counts)."""
    size = 0
    stack: list[Any] = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    size += ulen(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return size


def card_text(card: Card, limit: int = SECTION_TEXT) -> str:
    """One card as mrkdwn: the linked title in bold, the meta line, the facts, the snippet.
    Longer than ``limit``: the title and meta stay, the facts and snippet are cut with ``…``."""
    lines = [f"*{link(card.url, card.title or '?')}*"]
    if card.meta:
        lines.append(clip(card.meta, META_CHARS, single_line=True))
    extra = [(f"*{clip(f.label, 200, single_line=True)}*: ", f.value) for f in card.facts]
    if card.snippet:
        extra.append(("> ", card.snippet))
    used = ulen("\n".join(lines))
    for prefix, value in extra:
        room = limit - used - 1 - ulen(prefix)
        if room < 8:  # no useful room left: mark the cut
            if used < limit:
                lines[-1] += ELLIPSIS
            break
        text, cut = _clip(value, room, single_line=True)
        lines.append(prefix + text)
        used += 1 + ulen(prefix) + ulen(text)
        if cut:
            break
    return "\n".join(lines)


# -- packing --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    blocks: list[Block]
    section: int | None = None  # index of the reply section this belongs to
    opens_section: bool = False
    card_title: str | None = None


@dataclass(slots=True)
class _Message:
    blocks: list[Block] = field(default_factory=list)
    size: int = 0
    titles: list[str] = field(default_factory=list)


def _atoms(reply: Reply) -> tuple[list[_Atom], dict[int, Block]]:
    atoms: list[_Atom] = []
    headings: dict[int, Block] = {}
    card_limit = SECTION_TEXT if len(reply.cards) == 1 else CARD_TEXT
    if reply.text:
        text = reply.text
        prefix = ":warning: " if reply.error else ""
        for i, piece in enumerate(chunks(text, SECTION_TEXT - ulen(prefix))):
            atoms.append(_Atom([section((prefix if i == 0 else "") + piece)]))
    for index, sec in enumerate(reply.sections):
        if sec.heading:
            headings[index] = section(f"*{clip(sec.heading, HEADING_CHARS, True)}*")
        for n, card in enumerate(sec.cards):
            first = n == 0
            blocks = [headings[index]] if first and index in headings else []
            blocks.append(section(card_text(card, card_limit)))
            if card.story and card.story.links:
                blocks.append(context(story_line(card)))
            atoms.append(_Atom(blocks, index, first, card.title))
    if reply.footer:
        atoms.append(_Atom([context(clip(reply.footer, CONTEXT_TEXT))]))
    return atoms, headings


def _size(blocks: list[Block]) -> int:
    return sum(block_text_size(b) for b in blocks)


def _pack(atoms: list[_Atom], headings: dict[int, Block], head_size: int) -> list[_Message]:
    """Greedy packing; every message keeps room for its title header (``head_size``)."""
    messages: list[_Message] = []
    current = _Message()
    budget_blocks = MAX_BLOCKS - 1  # the header
    budget_text = MESSAGE_TEXT - head_size
    for atom in atoms:
        while True:
            blocks = list(atom.blocks)
            if current.blocks and atom.opens_section:
                blocks.insert(0, DIVIDER)
            if not current.blocks and atom.section is not None and not atom.opens_section:
                heading = headings.get(atom.section)
                if heading is not None:
                    blocks.insert(0, heading)
            size = _size(blocks)
            fits = (
                len(current.blocks) + len(blocks) <= budget_blocks
                and current.size + size <= budget_text
            )
            if fits or not current.blocks:
                current.blocks.extend(blocks)
                current.size += size
                if atom.card_title is not None:
                    current.titles.append(atom.card_title)
                break
            messages.append(current)
            current = _Message()
    if current.blocks or not messages:
        messages.append(current)
    return messages


def _fallback(reply: Reply, message: _Message, part: str) -> str:
    bits = [reply.title or ""]
    if part:
        bits.append(part)
    head = " ".join(b for b in bits if b)
    if message.titles:
        body = " · ".join(" ".join(t.split()) for t in message.titles)
    else:
        body = reply.text or reply.footer or ""
    raw = f"{head}: {body}" if head and body else head or body or "newsbot"
    return clip(raw, FALLBACK_TEXT)


def confirm_block(label: str, command: str) -> dict[str, Any]:
    """An actions block with one button; pressing it sends ``command`` back (block_actions)."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": CONFIRM_ACTION,
                "style": "primary",
                "text": {"type": "plain_text", "text": _clean(label, True)[:75]},
                "value": command[:2000],
            }
        ],
    }


def render_reply(reply: Reply) -> list[Payload]:
    """The reply as Slack message payloads, in order; see the module docstring for the rules."""
    atoms, headings = _atoms(reply)
    title = " ".join((reply.title or "").split())
    head_size = ulen(clip(title, HEADER_TEXT)) if title else ulen("(99/99)")
    messages = _pack(atoms, headings, head_size)
    total = len(messages)
    payloads: list[Payload] = []
    for i, message in enumerate(messages, start=1):
        part = f"({i}/{total})" if total > 1 else ""
        blocks = list(message.blocks)
        if title:
            suffix = f" {part}" if part else ""
            blocks.insert(0, header(clip(title, HEADER_TEXT - ulen(suffix), True) + suffix))
        elif part:
            blocks.insert(0, context(part))
        if not blocks:
            blocks = [section(ELLIPSIS)]
        payloads.append({"text": _fallback(reply, message, part), "blocks": blocks})
    if reply.confirm is not None and payloads and len(payloads[-1]["blocks"]) < MAX_BLOCKS:
        payloads[-1]["blocks"].append(confirm_block(reply.confirm.label, reply.confirm.command))
    if reply.image is not None:
        image = reply.image
        upload = {
            "filename": image.filename,
            "title": _clean(image.title, True)[:HEADER_TEXT],  # plain text: no entities
            "alt": _clean(image.alt, True)[:1000],
            "data": image.data,
        }
        payloads.append({"upload": upload})
    return payloads
