"""A reply as plain text: what the console adapter prints and what tests compare."""

from __future__ import annotations

from bot.present.reply import Reply


def render_plain(reply: Reply) -> str:
    out: list[str] = []
    if reply.title:
        out.append(f"== {reply.title} ==")
    if reply.text:
        out.append(reply.text)
    for section in reply.sections:
        if section.heading:
            out.append(f"\n[{section.heading}]")
        for card in section.cards:
            link = f" <{card.url}>" if card.url else ""
            out.append(f"- {card.title}{link}")
            if card.meta:
                out.append(f"  {card.meta}")
            if card.snippet:  # the story's brief, or a search hit's snippet
                out.append(f"  {card.snippet}")  # quoted as written: no quotes added
            for fact in card.facts:
                out.append(f"  {fact.label}: {fact.value}")
            if card.story:
                out.append(f"  {card.story.line()}")
    if reply.footer:
        out.append(f"({reply.footer})")
    if reply.confirm:
        out.append(f"→ {reply.confirm.label}: /news {reply.confirm.command}")
    return "\n".join(out)
