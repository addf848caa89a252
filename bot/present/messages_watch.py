"""The wordings of watches, mutes and the ``/news`` usage lines, Korean and English: read
through :func:`bot.present.i18n.t` with the rest of the catalog."""

from __future__ import annotations

WATCH_MESSAGES: dict[str, tuple[str, str]] = {
    "watch.follows": (
        "키워드 소스 #{id} {label}도 따라갑니다 (모든 매체의 기사).",
        "Also following keyword source #{id} {label} (every outlet's articles).",
    ),
    "watch.bad_name": (
        "‘{name}’은(는) 쓸 수 없는 이름입니다: 영문 소문자, 숫자, _, -, 한글로 32자까지.",
        "‘{name}’ is not a valid name: up to 32 of a-z, 0-9, _, - and Hangul.",
    ),
    "watch.builtin_name": (
        "‘{name}’은(는) 기본 주제의 이름입니다. 다른 이름을 쓰세요.",
        "‘{name}’ is a built-in topic's name. Choose another.",
    ),
    "watch.command_name": (
        "‘{name}’은(는) 명령에서 다른 뜻으로 읽히는 낱말(기간, 요일, 옵션)이라 워치 이름으로 쓸 수 "
        "없습니다.",
        "‘{name}’ means something else in the commands (a period, a weekday or an option): "
        "choose another name.",
    ),
    "watch.alias_name": (
        "‘{name}’은(는) 기본 주제 {topic}을(를) 가리키는 말입니다. 다른 이름을 쓰세요.",
        "‘{name}’ already names the built-in topic {topic}. Choose another.",
    ),
    "watch.long_term": (
        "‘{term}…’: 단어 하나는 {max}자까지 쓸 수 있습니다.",
        "‘{term}…’: a term has at most {max} characters.",
    ),
    "watch.import_too_many": (
        "가져올 수 없습니다: 새 워치 {new}개를 더하면 한도 {max}개를 넘습니다 (지금 {existing}개). "
        "아무것도 저장하지 않았습니다.",
        "Not imported: {new} new watches would pass the limit of {max} ({existing} here now). "
        "Nothing was saved.",
    ),
    "watch.empty_term": (
        "‘{word}’ 뒤에 단어가 없습니다. 붙여 쓰세요: +HBM, -주가, source:연합뉴스",
        "Nothing follows ‘{word}’. Write it joined to a word: +HBM, -주가, source:연합뉴스",
    ),
    "watch.no_terms": ("찾을 단어를 하나 이상 적으세요.", "Give at least one term to look for."),
    "watch.too_many_terms": (
        "단어가 {count}개입니다. 한 워치에 {max}개까지 쓸 수 있습니다.",
        "{count} terms: a watch holds at most {max}.",
    ),
    "watch.too_many": (
        "이 워크스페이스의 워치가 이미 {max}개입니다. 하나를 지운 뒤 추가하세요.",
        "This workspace already has {max} watches. Remove one first.",
    ),
    "watch.exists": (
        "‘{name}’ 워치가 이미 있습니다. 바꾸려면 /news watch edit {name} …",
        "Watch ‘{name}’ already exists. To change it: /news watch edit {name} …",
    ),
    "watch.exists_cli": (
        "‘{name}’ 워치가 이미 있습니다. 바꾸려면 newsbot watches edit {name} …",
        "Watch ‘{name}’ already exists. To change it: newsbot watches edit {name} …",
    ),
    "watch.unknown": ("‘{name}’ 워치가 없습니다.", "No watch ‘{name}’."),
    "watch.bad_min": (
        "‘{value}’: min:은 0에서 1000 사이의 수입니다.",
        "‘{value}’: min: takes a number from 0 to 1000.",
    ),
    "watch.bad_toml": (
        "워치 파일을 읽을 수 없습니다: {reason}",
        "Cannot read the watches file: {reason}",
    ),
    "watch.saved": ("워치 ‘{name}’을(를) 저장했습니다.", "Saved watch ‘{name}’."),
    "watch.edited": ("워치 ‘{name}’을(를) 고쳤습니다.", "Updated watch ‘{name}’."),
    "watch.reapplied": (
        "최근 {days}일 기사에 다시 적용: {before}건 → {after}건.",
        "Re-applied to the last {days} days: {before} → {after} articles.",
    ),
    "watch.preview": (
        "미리보기: 최근 {days}일 기사 중 {count}건이 맞습니다.",
        "Preview: {count} articles of the last {days} days match.",
    ),
    "watch.excluded": ("‘-{term}’ 때문에 빠진 기사: {n}건", "left out by ‘-{term}’: {n}"),
    "watch.proposed": (
        "워치 ‘{name}’ 미리보기입니다. 아직 저장하지 않았습니다.",
        "Preview of watch ‘{name}’. Not saved yet.",
    ),
    "watch.proposed_edit": (
        "워치 ‘{name}’을(를) 이렇게 고친 미리보기입니다. 아직 바꾸지 않았습니다.",
        "Preview of watch ‘{name}’ changed. Not changed yet.",
    ),
    "watch.confirm": ("저장", "Save"),
    "watch.confirm_cli": (
        "저장하려면 같은 명령에 --yes를 붙이세요: {command}",
        "Not saved. To save, run it again with --yes: {command}",
    ),
    "confirm.gone": (
        "이 미리보기는 더 이상 저장할 수 없습니다. 명령을 다시 보내세요.",
        "This preview can no longer be saved. Send the command again.",
    ),
    "watch.removed": (
        "워치 ‘{name}’을(를) 지웠습니다 (구독도 함께).",
        "Removed watch ‘{name}’ (and its subscriptions).",
    ),
    "watch.list.title": ("워치 목록", "Watches"),
    "watch.list.empty": (
        "이 워크스페이스에는 워치가 없습니다. /news watch add <이름> <단어…>",
        "No watches here yet. /news watch add <name> <terms…>",
    ),
    "watch.list.empty_cli": (
        "이 워크스페이스에는 워치가 없습니다. newsbot watches add <이름> <단어…>",
        "No watches here yet. newsbot watches add <name> <terms…>",
    ),
    "muted": ("이 채널에서 {what}을(를) 숨깁니다{until}.", "Muting {what} in this channel{until}."),
    "muted.until": (" ({until}까지)", " until {until}"),
    "unmuted": ("숨김 {n}건을 풀었습니다.", "Removed {n} mutes."),
    "mute.nothing": (
        "숨길 매체 이름이나 #기사ID를 적으세요.",
        "Name an outlet or an #item id to mute.",
    ),
    "mute.too_long": (
        "숨길 매체 이름은 {max}자까지입니다.",
        "An outlet name to mute has at most {max} characters.",
    ),
    "mute.bad_period": (
        "숨길 기간은 12h, 7d, 2w처럼 1년 이내로 적으세요: {value}",
        "A mute lasts a span such as 12h, 7d or 2w, at most a year: {value}",
    ),
    "mute.unknown_outlet": (
        "‘{name}’(이)라는 매체의 기사는 아직 없습니다. 다이제스트에 보이는 매체 이름을 적으세요.",
        "No article from an outlet ‘{name}’ has been seen. Use the outlet's name as digests show it.",
    ),
    "mutes.none": ("숨긴 것이 없습니다.", "Nothing is muted here."),
    # usage lines of /news (help lists them in this order)
    "usage.search": (
        "/news search <검색어…> [-제외어…] [주제] [기간: 24h|7d|2025-10-01|all]",
        "/news search <query…> [-exclude…] [topic] [period: 24h|7d|2025-10-01|all]",
    ),
    "usage.digest": ("/news digest [주제…] [기간]", "/news digest [topic…] [period]"),
    "usage.weekly": (
        "/news weekly [주제…] (주간 리포트 미리보기)",
        "/news weekly [topic…] (a preview of the weekly report)",
    ),
    "usage.topics": ("/news topics", "/news topics"),
    "usage.subscribe": (
        "/news subscribe <주제…> [at HH:MM] [tz Asia/Seoul] [alerts] [daily|weekdays|weekly [mon]]",
        "/news subscribe <topic…> [at HH:MM] [tz Asia/Seoul] [alerts] [daily|weekdays|weekly [mon]]",
    ),
    "usage.trend": ("/news trend [주제…] [30d|90d]", "/news trend [topic…] [30d|90d]"),
    "usage.unsubscribe": ("/news unsubscribe <주제…|all>", "/news unsubscribe <topic…|all>"),
    "usage.feeds": (
        "/news feeds add <URL> [이름] | feeds list | feeds rename <ID> <이름> | feeds remove <ID>"
        " | feeds share|unshare <ID>",
        "/news feeds add <URL> [name] | feeds list | feeds rename <ID> <name> | feeds remove <ID>"
        " | feeds share|unshare <ID>",
    ),
    "usage.sources": (
        "/news sources add google|naver <검색어> [lang:en] | sources list | sources remove <ID>",
        "/news sources add google|naver <query> [lang:en] | sources list | sources remove <ID>",
    ),
    "usage.why": ("/news why <기사 ID>", "/news why <item id>"),
    "usage.watch": (
        "/news watch add <이름> <단어…> [-제외어…] [+필수어…] [min:점수] [source:매체] "
        "[follow:google|naver] [--yes] | watch list | watch show <이름> | "
        "watch edit <이름> <단어…> [--yes] | watch remove <이름> (--yes 없이는 미리보기만)",
        "/news watch add <name> <terms…> [-exclude…] [+required…] [min:score] [source:outlet] "
        "[follow:google|naver] [--yes] | watch list | watch show <name> | "
        "watch edit <name> <terms…> [--yes] | watch remove <name> (without --yes: a preview only)",
    ),
    "usage.mute": ("/news mute <매체|#기사ID> [for 7d]", "/news mute <outlet|#item id> [for 7d]"),
    "usage.unmute": ("/news unmute <매체|#기사ID|all>", "/news unmute <outlet|#item id|all>"),
    "usage.stats": ("/news stats", "/news stats"),
    "usage.help": ("/news help", "/news help"),
}
