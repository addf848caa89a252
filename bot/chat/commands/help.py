"""``/news help``: the usage line of every sub-command, in the user's language."""

from __future__ import annotations

from bot.chat.commands.core import COMMANDS, Commands, Context, command
from bot.core.commandwords import aliases_for
from bot.present.i18n import MESSAGES, t
from bot.present.reply import Reply


@command("help")
def help_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    names = [key.removeprefix("usage.") for key in MESSAGES if key.startswith("usage.")]
    lines = [t(f"usage.{name}", ctx.lang) for name in names if name in COMMANDS]
    korean = ", ".join(
        f"{word} ({name})" for word, name in aliases_for(COMMANDS).items() if name != "help"
    )
    return Reply(
        title=t("help.title", ctx.lang),
        text="\n".join(lines),
        footer=t("help.korean", ctx.lang, words=korean),
    )
