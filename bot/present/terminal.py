"""A reply in the terminal, with rich.  Untrusted text is escaped so it cannot inject markup."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.rule import Rule
from rich.text import Text

from bot.present.reply import Card, Reply


def render_rich(reply: Reply) -> RenderableType:
    parts: list[RenderableType] = []
    if reply.title:
        parts.append(Rule(escape(reply.title), align="left", style="cyan"))
    if reply.text:
        parts.append(Text(reply.text, style="red" if reply.error else ""))
    for section in reply.sections:
        if section.heading:
            parts.append(Text(f"\n{section.heading}", style="bold magenta"))
        for card in section.cards:
            parts.append(_card(card))
    if reply.footer:
        parts.append(Text(reply.footer, style="dim"))
    return Group(*parts)


def _card(card: Card) -> RenderableType:
    title = Text(card.title, style="bold")
    if card.url and card.url.startswith(("http://", "https://")):
        title.stylize(f"link {card.url}")
    lines: list[RenderableType] = [title]
    if card.meta:  # a card without one (stats' per-topic counts) gets no blank line
        lines.append(Text(f"  {card.meta}", style="dim"))
    if card.snippet:  # the story's brief, or a search hit's snippet
        snip = Text("  ")  # quoted as written: no quotes added (a quote would double up)
        start = len(snip)
        snip.append(card.snippet, style="italic")
        for a, b in card.snippet_hits:
            snip.stylize("bold yellow", start + a, start + b)
        lines.append(snip)
    for fact in card.facts:
        line = Text("  ")
        line.append(f"{fact.label}: ", style="green")
        line.append(fact.value)
        lines.append(line)
    if card.story:
        line = Text("  ")
        line.append(f"{card.story.label}: ", style="green")
        for n, link in enumerate(card.story.links):
            piece = Text(link.label)
            if link.url and link.url.startswith(("http://", "https://")):
                piece.stylize(f"link {link.url}")
            line.append_text(Text(", ") if n else Text(""))
            line.append_text(piece)
        lines.append(line)
    return Group(*lines)


def print_reply(console: Console, reply: Reply) -> None:
    console.print(render_rich(reply))
