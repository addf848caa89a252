"""Only the scopes and permissions the code uses: each Slack scope in the manifest and each
Discord permission in the README's invite link is backed by a call the code makes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.helpers import ROOT

CODE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py"))
README = (ROOT / "README.md").read_text(encoding="utf-8")

# scope -> a Web API call (as slack_sdk spells it) that needs it; `commands` is the slash command
SLACK_SCOPE_USES = {
    "chat:write": ["chat_postMessage"],
    "chat:write.public": ["chat_postMessage"],
    "commands": ["/slack/events"],
    "files:write": ["files_getUploadURLExternal", "files_completeUploadExternal"],
    "channels:history": ["conversations_history"],
    "groups:history": ["conversations_history"],
    "channels:read": ["conversations_info", "conversations_list", "conversations_members"],
    "groups:read": ["conversations_info", "conversations_list"],
    "users:read": ["users_info", "users_list"],
}

DISCORD_PERMISSIONS = {  # bit -> (name, what in the code needs it)
    1024: ("View Channels", r"send_message|create_message"),
    2048: ("Send Messages", r"send_message|create_message"),
    16384: ("Embed Links", r"embeds?"),
    32768: ("Attach Files", r"files?="),
    65536: ("Read Message History", r"logs_from|fetch_message|\.history\(|get_message"),
}


def manifest_scopes() -> list[str]:
    data = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    return list(data["oauth_config"]["scopes"]["bot"])


def test_every_slack_scope_is_used_by_the_code() -> None:
    scopes = manifest_scopes()
    for scope in scopes:
        uses = SLACK_SCOPE_USES.get(scope)
        assert uses, f"{scope}: what needs it? (add it to SLACK_SCOPE_USES with the call)"
        assert any(use in CODE for use in uses), f"{scope} is requested but never used"
    assert "channels:read" not in scopes  # delivery reads history, it never lists channels
    section = README.split("## Slack", 1)[1].split("\n## ", 1)[0]
    for scope in scopes:
        assert f"`{scope}`" in section, scope


def test_the_manifest_points_only_at_files_that_exist() -> None:
    text = (ROOT / "slack-manifest.yml").read_text(encoding="utf-8")
    for path in re.findall(r"\b((?:docs/)?[\w/-]+\.(?:md|yml|toml))\b", text):
        assert (ROOT / path).is_file(), path


def test_the_discord_invite_asks_for_used_permissions_only() -> None:
    [permissions] = {int(p) for p in re.findall(r"permissions=(\d+)", README)}
    asked = [bit for bit in DISCORD_PERMISSIONS if permissions & bit]
    assert sum(asked) == permissions, "a permission newsbot does not know of"
    discord_code = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(ROOT / "bot" / "chat" / "discord").glob("*.py")
    )
    for bit in asked:
        name, pattern = DISCORD_PERMISSIONS[bit]
        assert re.search(pattern, discord_code), f"{name} is asked for but never used"
        assert name in README
    assert not permissions & 65536, "Read Message History: newsbot reads no messages"
