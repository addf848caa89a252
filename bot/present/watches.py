"""Replies about watches and mutes: a saved watch with its preview, the list, one watch."""

from __future__ import annotations

from collections.abc import Sequence

from bot.present.compose import evidence_text, fmt_date, outlet, when_text
from bot.present.i18n import t
from bot.present.reply import Card, Confirm, Fact, Reply, Section
from bot.services.watches import CONFIRM_WORD, Preview, Proposal, Saved, spec_of
from bot.store.views import Mute, Watch


def preview_lines(preview: Preview, lang: str) -> list[str]:
    lines = [t("watch.preview", lang, days=preview.days, count=preview.count)]
    for term, n in preview.excluded.items():
        lines.append(t("watch.excluded", lang, term=term, n=n))
    return lines


def preview_cards(preview: Preview, tz: str, lang: str) -> list[Card]:
    cards = []
    for item, hit in preview.top:
        when = when_text(item, tz, lang)
        meta = " · ".join(b for b in (outlet(item), when, f"#{item.id}") if b)
        evidence = evidence_text(hit.evidence, lang)
        facts = [Fact(f"{t('why', lang)} ({hit.score:g})", evidence)]
        cards.append(Card(id=item.id, title=item.title, url=item.url, meta=meta, facts=facts))
    return cards


def proposal_reply(proposal: Proposal, tz: str, lang: str, *, button: bool = True) -> Reply:
    """A watch's preview before it is saved; ``button``: with the step that saves it."""
    key = "watch.proposed_edit" if proposal.edit else "watch.proposed"
    lines = [
        t(key, lang, name=proposal.name),
        f"`{' '.join(proposal.spec.words())}`",
        *preview_lines(proposal.preview, lang),
    ]
    cards = preview_cards(proposal.preview, tz, lang)
    return Reply(
        title=proposal.name,
        text="\n".join(lines),
        sections=[Section("", cards)] if cards else [],
        confirm=Confirm(t("watch.confirm", lang), confirm_command(proposal)) if button else None,
    )


def confirm_command(proposal: Proposal) -> str:
    """The command that saves the proposal, after ``/news`` in chat or ``newsbot`` in the CLI
    (where ``watch`` becomes ``watches``, the form DESIGN names; both work)."""
    action = "edit" if proposal.edit else "add"
    follow = [f"follow:{kind}" for kind in proposal.follow]
    words = [*proposal.spec.words(), *follow]
    return " ".join(["watch", action, proposal.name, *words, CONFIRM_WORD])


def saved_reply(saved: Saved, tz: str, lang: str, days: int) -> Reply:
    name = saved.watch.name
    lines = [
        t("watch.saved" if saved.created else "watch.edited", lang, name=name),
        f"`{' '.join(spec_of(saved.watch).words())}`",
        t("watch.reapplied", lang, days=days, before=saved.before, after=saved.after),
        *[t("watch.follows", lang, id=f.id, label=f.label) for f in saved.followed],
        *preview_lines(saved.preview, lang),
    ]
    cards = preview_cards(saved.preview, tz, lang)
    return Reply(
        title=name,
        text="\n".join(lines),
        sections=[Section("", cards)] if cards else [],
        ephemeral=False,
    )


def show_reply(watch: Watch, preview: Preview, tz: str, lang: str) -> Reply:
    lines = [f"`{' '.join(spec_of(watch).words())}`", *preview_lines(preview, lang)]
    cards = preview_cards(preview, tz, lang)
    return Reply(
        title=watch.name, text="\n".join(lines), sections=[Section("", cards)] if cards else []
    )


def list_reply(watches: Sequence[Watch], lang: str, *, cli: bool = False) -> Reply:
    """``cli``: for the command line, whose hint names ``newsbot watches add``."""
    if not watches:
        return Reply(text=t("watch.list.empty_cli" if cli else "watch.list.empty", lang))
    lines = [f"{w.name}: {' '.join(spec_of(w).words())}" for w in watches]
    return Reply(title=t("watch.list.title", lang), text="\n".join(lines))


def _until(mute: Mute, tz: str, lang: str) -> str:
    return t("muted.until", lang, until=fmt_date(mute.until, tz, lang)) if mute.until else ""


def muted_reply(mute: Mute, shown: str, tz: str, lang: str) -> Reply:
    """What ``/news mute`` did."""
    text = t("muted", lang, what=shown, until=_until(mute, tz, lang))
    return Reply(text=text, ephemeral=False)


def mutes_reply(mutes: Sequence[Mute], tz: str, lang: str) -> Reply:
    if not mutes:
        return Reply(text=t("mutes.none", lang))
    lines = []
    for m in mutes:
        what = f"#{m.value}" if m.kind == "story" else m.value
        lines.append(f"{what}{_until(m, tz, lang)}")
    return Reply(text="\n".join(lines))
