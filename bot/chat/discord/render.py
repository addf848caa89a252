"""A :class:`~bot.present.reply.Reply` as Discord message payloads (embeds), within every Discord limit.

Rules, in the order they are applied:

Escaping.  Every string in a reply is untrusted plain text.  Where Discord renders markdown
(embed title, description, field names and values) each of ``\\ * _ ~ ` | < > [ ] ( ) # - :``
gets a backslash and every ``@`` is followed by a zero-width space, so no bold, heading, list,
quote, spoiler, masked link ``[x](url)``, ``<@id>`` / ``<@&id>`` / ``<#id>`` / ``<t:…>`` tag or
``@everyone`` / ``@here`` can form (a bare ``https://`` is broken up too: ``https\\://``).
Text shown verbatim by Discord (embed footer, author name) is not escaped, only made one line.
Control characters are dropped.
The only links are the embed ``url`` of a card, and only for a well-formed http(s) URL.
Mentions are blocked a second time by ``allowed_mentions: {"parse": []}`` on every payload.

Layout.  The reply's title and text make a header embed (more embeds when the text is longer
than one description); each card is one embed: title (linked), the meta line and the snippet
(search hits in bold) as the description, facts as fields.  A section heading is the author line
of its first card, repeated on the first card of a continuation message.  The reply's footer is
the footer of the very last embed.  Errors are red.

Limits (lengths counted in UTF-16 code units, the stricter reading of Discord's "characters"):
title 256, description 4096, 25 fields (name 256, value 1024), footer 2048, author 256, at most
10 embeds and 6,000 characters of embed text per message, content 2,000 (unused: no content).
A card is cut to :data:`CARD_BUDGET` by shortening its longest parts first, each cut ending in
``…``; a card is never dropped and each part keeps at least :data:`FLOOR` characters.  Facts
beyond the 24th share the 25th field.  Long text is split at line ends into several embeds.

Pictures.  A reply's image is attached to the first message (``payload["file"]``: filename,
bytes, description) and shown in its first embed (``image.url = attachment://<filename>``); the
filename is reduced to ``[A-Za-z0-9_.-]``, which is what Discord keeps.

Splitting is deterministic (the same reply gives the same payloads): embeds are packed in order
into a message until the next one would break the 10-embed or 6,000-character limit (room for the
footer is kept in every message), or would repeat a URL already in the message (Discord merges
embeds that share a URL), and then a new message starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.present.reply import Card, Reply
from bot.present.text_hygiene import CONTROL, clean, fit_outlets, one_line, pack_lines, utf16_len

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBEDS_MAX = 10
MESSAGE_TOTAL_MAX = 6000
CONTENT_MAX = 2000
URL_MAX = 2048

CARD_BUDGET = 4000  # one card embed, author line included
TEXT_CHUNK = 3600  # one description of the header text
FOOTER_BUDGET = 1024  # our footers are one short line; a longer one is cut
FLOOR = 32  # no part of a card is cut below this
ELLIPSIS = "…"
EMPTY = "\u200b"  # Discord rejects empty field names and values

COLOR = 0x2B6CB0
ERROR_COLOR = 0xE74C3C
NO_MENTIONS: dict[str, Any] = {"parse": []}

_MARKDOWN = "\\*_~`|<>[]()#-:"
_ESCAPES = {ord(ch): "\\" + ch for ch in _MARKDOWN} | {ord("@"): "@\u200b"}
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)

Payload = dict[str, Any]


dlen = utf16_len  # length as Discord may count it


def escape(text: str) -> str:
    """Untrusted text made inert for Discord markdown and mentions (see the module rules)."""
    return clean(text).translate(_ESCAPES)


def safe_url(url: str | None) -> str | None:
    """The URL when it is a well-formed http(s) URL Discord accepts as an embed link."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_MAX or not _URL.match(url) or CONTROL.search(url):
        return None
    return url


def fit(raw: str, limit: int, render: Callable[[str], str] = escape) -> str:
    """``render(raw)`` when it fits in ``limit``; else the longest ``render(prefix + '…')`` that
    does (the rendered length grows with the prefix, so a binary search finds it)."""
    if len(raw) <= limit:
        whole = render(raw)
        if dlen(whole) <= limit:
            return whole
    lo, hi = 0, min(len(raw) - 1, limit)  # the longest prefix whose rendering fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if dlen(render(raw[:mid] + ELLIPSIS)) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(raw[:lo] + ELLIPSIS)


def _pieces(raw: str, limit: int) -> list[str]:
    """Split ``raw`` into pieces whose escaped forms fit ``limit`` (no ellipsis: it continues)."""
    out: list[str] = []
    while raw:
        lo, hi = 1, min(len(raw), limit)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if dlen(escape(raw[:mid])) <= limit:
                lo = mid
            else:
                hi = mid - 1
        out.append(escape(raw[:lo]))
        raw = raw[lo:]
    return out


def text_chunks(text: str, limit: int = TEXT_CHUNK) -> list[str]:
    """Escaped text in chunks of at most ``limit``, split at line ends (a longer line is cut
    into pieces); nothing is dropped."""
    return pack_lines((_pieces(line, limit) for line in clean(text).split("\n")), limit)


# -- one card ------------------------------------------------------------------------------


@dataclass
class _Part:
    """One cuttable string of a card: its raw text, its Discord limit and how it renders."""

    raw: str
    limit: int
    render: Callable[[str], str] = escape
    text: str = ""

    def cut(self, limit: int) -> None:
        self.limit = limit
        self.text = fit(self.raw, limit, self.render) if self.raw else ""


def _snippet_render(hits: list[tuple[int, int]]) -> Callable[[str], str]:
    def render(raw: str) -> str:
        out, pos = [], 0
        for a, b in sorted(hits):
            a, b = max(a, pos), min(b, len(raw))
            if a >= b:
                continue
            out.append(escape(raw[pos:a]) + "**" + escape(raw[a:b]) + "**")
            pos = b
        out.append(escape(raw[pos:]))
        return "".join(out)

    return render


def _card_parts(card: Card) -> tuple[_Part, _Part, _Part | None, list[tuple[_Part, _Part]]]:
    facts = [(one_line(f.label), clean(f.value)) for f in card.facts]
    room = FIELDS_MAX - (card.story is not None and bool(card.story.links))  # one for outlets
    if len(facts) > room:  # the rest share the last field: nothing is dropped
        rest = facts[room - 1 :]
        facts = [*facts[: room - 1], (rest[0][0], "\n".join(f"{k}: {v}" for k, v in rest))]
    title = _Part(one_line(card.title) or "#" + str(card.id), TITLE_MAX)
    meta = _Part(one_line(card.meta), 512)
    snippet = None
    if card.snippet:
        snip = one_line(card.snippet)
        snippet = _Part(snip, DESCRIPTION_MAX - 513, _snippet_render(list(card.snippet_hits)))
    fields = [(_Part(k, FIELD_NAME_MAX), _Part(v, FIELD_VALUE_MAX)) for k, v in facts]
    return title, meta, snippet, fields


def _cap(sizes: list[int], room: int) -> int:
    """The largest cap (at least FLOOR) such that the sizes, each capped, sum to ``room``."""
    lo, hi = FLOOR, max([FLOOR, *sizes])
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(s, mid) for s in sizes) <= room:
            lo = mid
        else:
            hi = mid - 1
    return lo


STORY_MAX = 600  # characters of the story's outlets field


def story_field(card: Card) -> dict[str, Any] | None:
    """The story's other outlets as a field, each linked to its report (markdown links with
    escaped labels; outlets that do not fit are counted)."""
    if card.story is None or not card.story.links:
        return None
    pieces: list[str] = []
    for item in card.story.links:
        label = escape(one_line(item.label))[:80] or "?"
        url = safe_url(item.url)
        pieces.append(f"[{label}]({url})" if url else label)
    pieces = fit_outlets(pieces, STORY_MAX)
    name = one_line(card.story.label)[:FIELD_NAME_MAX] or EMPTY
    return {"name": name, "value": " · ".join(pieces), "inline": False}


def card_embed(card: Card, heading: str, color: int, budget: int = CARD_BUDGET) -> Payload:
    """One card as an embed dict whose text (with ``heading`` as author) fits ``budget``."""
    story = story_field(card)
    if story is not None:
        budget -= dlen(story["name"]) + dlen(story["value"])
    title, meta, snippet, fields = _card_parts(card)
    head = [title, meta]  # the story's identity: cut last
    body = [*([snippet] if snippet else []), *(p for f in fields for p in f)]
    for part in head:
        part.cut(part.limit)
    room = budget - dlen(heading) - 2 - sum(dlen(p.text) for p in head)  # 2: newline, slack
    cap = _cap([min(len(p.raw), p.limit) for p in body], room)
    for part in body:  # one cut each to a common cap, then trim what escaping added
        part.cut(part.limit if len(part.raw) <= cap else min(part.limit, cap))
    room += sum(dlen(p.text) for p in head)
    parts, in_body = [*body, *head], {id(p) for p in body}
    while (excess := sum(dlen(p.text) for p in parts) - room) > 0:
        longest = max(parts, key=lambda p: (dlen(p.text) > FLOOR, id(p) in in_body, dlen(p.text)))
        size = dlen(longest.text)
        target = max(FLOOR, size - excess)
        if target >= size:  # everything at the floor: cannot happen within CARD_BUDGET
            break
        longest.cut(target)
    embed: Payload = {"title": title.text, "color": color}
    url = safe_url(card.url)
    if url:
        embed["url"] = url
    description = "\n".join(p.text for p in (meta, snippet) if p is not None and p.text)
    if description:
        embed["description"] = description
    if fields or story:
        embed["fields"] = [
            {"name": n.text or EMPTY, "value": v.text or EMPTY, "inline": False} for n, v in fields
        ] + ([story] if story else [])
    if heading:
        embed["author"] = {"name": heading}
    return embed


# -- the whole reply -----------------------------------------------------------------------


def embed_size(embed: Payload) -> int:
    """The characters an embed counts towards the 6,000 per message."""
    size = dlen(embed.get("title", "")) + dlen(embed.get("description", ""))
    size += dlen(embed.get("footer", {}).get("text", ""))
    size += dlen(embed.get("author", {}).get("name", ""))
    for field in embed.get("fields", []):
        size += dlen(field["name"]) + dlen(field["value"])
    return size


@dataclass
class _Block:
    embed: Payload
    url: str | None = None
    heading: str = ""  # the card's section heading (kept in size, shown when needed)
    first_of_section: bool = False

    @property
    def size(self) -> int:
        return embed_size(self.embed)


def _blocks(reply: Reply, color: int) -> list[_Block]:
    blocks: list[_Block] = []
    chunks = text_chunks(reply.text) if reply.text else []
    title = fit(one_line(reply.title), TITLE_MAX) if reply.title else ""
    if title or chunks:
        head: Payload = {"color": color}
        if title:
            head["title"] = title
        if chunks:
            head["description"] = chunks[0]
        blocks.append(_Block(head))
        blocks.extend(_Block({"description": c, "color": color}) for c in chunks[1:])
    for section in reply.sections:
        heading = fit(one_line(section.heading), AUTHOR_MAX, str) if section.heading else ""
        for index, card in enumerate(section.cards):
            embed = card_embed(card, heading, color)
            blocks.append(_Block(embed, embed.get("url"), heading, index == 0))
    if not blocks:
        blocks.append(_Block({"description": "—", "color": color}))
    return blocks


def render_reply(reply: Reply) -> list[Payload]:
    """The message payloads of ``reply``, in order: ``{"embeds": [...], "allowed_mentions":
    {"parse": []}}`` each, every limit respected (see the module rules)."""
    color = ERROR_COLOR if reply.error else COLOR
    footer = fit(one_line(reply.footer), FOOTER_BUDGET, str) if reply.footer else ""
    budget = MESSAGE_TOTAL_MAX - dlen(footer)
    messages: list[list[_Block]] = []
    current: list[_Block] = []
    size = 0
    for block in _blocks(reply, color):
        repeated = block.url is not None and any(b.url == block.url for b in current)
        if current and (len(current) >= EMBEDS_MAX or size + block.size > budget or repeated):
            messages.append(current)
            current, size = [], 0
        current.append(block)
        size += block.size
    messages.append(current)
    payloads: list[Payload] = []
    for blocks in messages:
        embeds = []
        for position, block in enumerate(blocks):
            embed = dict(block.embed)
            if block.heading and not (block.first_of_section or position == 0):
                embed.pop("author", None)
            embeds.append(embed)
        payloads.append({"embeds": embeds, "allowed_mentions": dict(NO_MENTIONS)})
    if footer:
        payloads[-1]["embeds"][-1]["footer"] = {"text": footer}
    if reply.image is not None:
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", reply.image.filename)[:100] or "image.png"
        first = payloads[0]
        first["file"] = {
            "filename": name,
            "data": reply.image.data,
            "description": one_line(reply.image.alt)[:1024],
        }
        if first["embeds"]:
            first["embeds"][0]["image"] = {"url": f"attachment://{name}"}
    return payloads
