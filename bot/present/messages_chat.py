"""Chat's wordings (and those the CLI shares with it), Korean and English: read through
:func:`bot.present.i18n.t`.  Particles are written as pairs after a placeholder (``{name}을(를)``);
``t`` fills in the one the value takes."""

from __future__ import annotations

CHAT_MESSAGES: dict[str, tuple[str, str]] = {
    "digest.title": ("뉴스 다이제스트", "News digest"),
    "digest.empty": (
        "이 기간에 해당 주제의 기사가 없습니다.",
        "No matching stories in this period.",
    ),
    "digest.period": ("기간", "Period"),
    "digest.older": (
        "이전 기사 {n}건은 보이지 않습니다 (전체: `--since all`, 채팅에서는 `all`)",
        "{n} older items not shown (`--since all`; in chat `all`)",
    ),
    "why": ("근거", "Why"),
    "brief": ("세 줄 요약", "In brief"),
    "figures": ("수치", "Figures"),
    "orgs": ("기관", "Organisations"),
    "story.outlets": ("{n}개 매체", "{n} outlets"),
    "title_field": ("제목", "title"),
    "no_date": ("날짜 없음", "no date"),
    "collected": ("수집 {day}", "collected {day}"),
    "digest.count": ("{here}건", "{here} here"),
    "digest.count_top": ("{here}건 중 상위 {shown}건", "top {shown} of {here}"),
    "digest.count_more": ("{more}건 더: {where}", "{more} more under {where}"),
    "search.title": ("검색: {query}", "Search: {query}"),
    "search.total": ("{total}건 중 {shown}건", "{shown} of {total} results"),
    "search.empty": ("‘{query}’에 맞는 기사가 없습니다.", "Nothing found for ‘{query}’."),
    "why.title": ("기사 #{id}의 분류 근거", "Why item #{id} matched"),
    "why.none": ("이 기사는 어느 주제에도 해당하지 않습니다.", "This item carries no topic."),
    "why.missing": ("기사 ‘{ref}’을(를) 찾을 수 없습니다.", "No article ‘{ref}’."),
    "why.no_ref": (
        "기사 ID나 시드 파일 이름이 필요합니다 (예: 42, 001)",
        "An item id or a seed file name is needed (e.g. 42, 001)",
    ),
    "why.bad_ref": (
        "‘{ref}’은(는) 기사 ID가 아닙니다: 0-9 숫자로 18자리까지입니다.",
        "‘{ref}’ is no item id: an id is up to 18 digits 0-9.",
    ),
    "scores": ("점수", "Scores"),
    "topics.title": ("주제 목록", "Topics"),
    "topics.threshold": ("기준 점수 {threshold:g}", "threshold {threshold:g}"),
    "subscribed": (
        "이 채널을 {topics} 주제에 구독했습니다. 매일 {time} ({tz})에 다이제스트를 보냅니다.{alerts}",
        "Subscribed this channel to {topics}. Daily digest at {time} ({tz}).{alerts}",
    ),
    "subscribed.weekdays": (
        " 평일에만 보냅니다 (주말과 공휴일 제외, 쉬는 동안의 기사는 다음 다이제스트에).",
        " Weekdays only (weekends and Korean public holidays off; their stories join the next).",
    ),
    "subscribed.alerts": (" 큰 기사는 즉시 알립니다.", " Big stories are sent at once."),
    "unsubscribed": ("{topics} 구독을 해지했습니다.", "Unsubscribed from {topics}."),
    "not_subscribed": (
        "이 채널은 {topics} 주제를 구독하고 있지 않습니다.",
        "This channel is not subscribed to {topics}.",
    ),
    "subscriptions": ("이 채널의 구독: {list}", "This channel's subscriptions: {list}"),
    "subscriptions.paused": (
        " (전송 중지됨: {reason}. 채널 문제를 해결한 뒤 다시 구독하면 재개합니다)",
        " (paused: {reason}. Fix the channel, then subscribe again to resume)",
    ),
    "subscriptions.none": (
        "이 채널은 아무 주제도 구독하지 않습니다.",
        "This channel has no subscriptions.",
    ),
    "feeds.title": ("피드 목록", "Feeds"),
    "feeds.empty": ("등록된 피드가 없습니다.", "No feeds yet."),
    "feeds.unreadable": (
        "피드를 추가하지 않았습니다: {url} — {reason}",
        "Not added: {url} — {reason}",
    ),
    "feeds.found": ("‘{title}’, 지금 항목 {n}개", "‘{title}’, {n} items now"),
    "feeds.found_untitled": ("제목 없는 피드, 지금 항목 {n}개", "an untitled feed, {n} items now"),
    "feeds.added": ("피드를 추가했습니다 (#{id}): {url}", "Added feed #{id}: {url}"),
    "feeds.exists": ("이미 등록된 피드입니다 (#{id}).", "That feed is already there (#{id})."),
    "feeds.removed": ("피드를 삭제했습니다 (#{id}).", "Removed feed #{id}."),
    "feeds.renamed": ("피드 #{id}의 이름을 바꿨습니다: {name}", "Renamed feed #{id}: {name}"),
    "feeds.shared": (
        "피드 #{id}을(를) 모든 워크스페이스에 공유했습니다.",
        "Feed #{id} is now shared with every workspace.",
    ),
    "feeds.unshared": (
        "피드 #{id}은(는) 이제 등록한 워크스페이스만 봅니다.",
        "Feed #{id} is now read only by the workspace that added it.",
    ),
    "feeds.taken": (
        "다른 워크스페이스가 등록한 피드입니다. 운영자에게 공유를 요청하세요.",
        "Another workspace added that feed; ask an operator to share it.",
    ),
    "feeds.not_yours": (
        "피드 #{id}은(는) 운영자나 다른 워크스페이스의 피드라 여기서 바꿀 수 없습니다.",
        "Feed #{id} belongs to the operator or another workspace; it cannot be changed here.",
    ),
    "feeds.operator_only": (
        "피드 공유는 운영자(NEWSBOT_ADMINS)만 할 수 있습니다.",
        "Only an operator (NEWSBOT_ADMINS) may share feeds.",
    ),
    "feeds.missing": ("피드 #{id}이(가) 없습니다.", "No feed #{id}."),
    "admin_only": ("이 작업은 관리자만 할 수 있습니다.", "Only admins can do that."),
    "feeds.not_http": (
        "http:// 또는 https:// 주소가 필요합니다: {url}",
        "expected an http:// or https:// URL, got {url}",
    ),
    "feeds.url_spaces": (
        "잘못된 주소입니다 (너무 길거나 공백이 있습니다): {url}",
        "invalid URL {url}: too long or contains spaces",
    ),
    "feeds.invalid_url": ("잘못된 주소입니다 ({reason}): {url}", "invalid URL {url}: {reason}"),
    "feeds.private": (
        "{host}: 내부(사설·루프백) 주소입니다. NEWSBOT_ALLOW_PRIVATE_FEEDS로 허용할 수 있습니다",
        "{host}: private address; allow with NEWSBOT_ALLOW_PRIVATE_FEEDS",
    ),
    "feeds.bad_interval": (
        "수집 주기는 1m에서 7d 사이의 기간입니다(예: 15m): {value}",
        "expected a duration from 1m to 7d such as 15m, got {value}",
    ),
    "feeds.bad_id": (
        "피드 ID는 숫자입니다(예: 3): {value}",
        "expected a feed id such as 3, got {value}",
    ),
    "opml.undecodable": (
        "OPML 파일의 글자를 읽을 수 없습니다: {detail}",
        "cannot decode OPML: {detail}",
    ),
    "opml.refused": (  # detail: the English line (bot.ingest.rss.REFUSED_DTD)
        "거부했습니다: 문서가 DTD나 엔티티를 선언합니다(피드에는 필요 없는 것입니다)",
        "{detail}",
    ),
    "opml.invalid": ("올바른 OPML이 아닙니다: {detail}", "not valid OPML: {detail}"),
    "opml.not_opml": (
        "OPML 문서가 아닙니다 (최상위 요소 <{detail}>)",
        "not an OPML document (root element <{detail}>)",
    ),
    "sources.title": ("키워드 소스", "Keyword sources"),
    "sources.empty": (
        "등록된 키워드 소스가 없습니다. 예: /news sources add naver 소버린 AI",
        "No keyword sources yet. For example: /news sources add naver 소버린 AI",
    ),
    "sources.added": (
        "키워드 소스를 추가했습니다 (#{id}): {label}",
        "Added keyword source #{id}: {label}",
    ),
    "sources.exists": (
        "이미 등록된 키워드 소스입니다 (#{id}): {label}",
        "That keyword source is already there (#{id}): {label}",
    ),
    "sources.needs_keys": (
        " NAVER_CLIENT_ID / NAVER_CLIENT_SECRET이 설정되기 전까지는 가져오지 않습니다.",
        " It is not polled until NAVER_CLIENT_ID / NAVER_CLIENT_SECRET are set.",
    ),
    "sources.removed": (
        "키워드 소스를 삭제했습니다 (#{id}): {label}",
        "Removed keyword source #{id}: {label}",
    ),
    "sources.missing": ("키워드 소스 #{id}이(가) 없습니다.", "No keyword source #{id}."),
    "sources.no_query": ("검색어가 필요합니다.", "a query is needed"),
    "sources.long_query": (
        "검색어는 {limit}자까지입니다.",
        "a query is at most {limit} characters",
    ),
    "sources.bad_kind": (
        "소스는 google 또는 naver입니다: {kind}",
        "a source is google or naver, not {kind}",
    ),
    "sources.bad_lang": ("언어는 ko 또는 en입니다: {lang}", "expected ko or en, got {lang}"),
    "sources.naver_korean": (
        "네이버 뉴스 검색은 한국어(ko)만 지원합니다.",
        "Naver news search is Korean only (ko)",
    ),
    "sources.quota": (
        "오늘 네이버 API 사용량: {used}/{quota}회 ({share})",
        "Naver API calls today: {used}/{quota} ({share})",
    ),
    "sources.never": ("아직 가져오지 않음", "not polled yet"),
    "sources.row": (
        "#{id} {label} [{health}] 마지막 수집 {polled}, 새 기사 {items}건",
        "#{id} {label} [{health}] last poll {polled}, {items} new items",
    ),
    "source_paused": (
        "키워드 소스를 중지했습니다: {name} ({reason})",
        "A keyword source was paused: {name} ({reason})",
    ),
    "stats.title": ("최근 7일 통계", "Last 7 days"),
    "stats.items": ("주제별 기사 수", "Items per topic"),
    "stats.feeds": (
        "피드 상태: 정상 {ok}, 아직 수집 전 {new}, 오류 {failing}, 중지 {disabled}",
        "Feed health: {ok} ok, {new} new (never polled), {failing} failing, {disabled} disabled",
    ),
    "help.title": ("/news 사용법", "/news help"),
    "help.korean": ("한국어 명령어도 됩니다: {words}", "Korean command words work too: {words}"),
    "usage": ("사용법: {usage}", "Usage: {usage}"),
    "unknown_command": (
        "알 수 없는 명령입니다: {name}. `/news help`를 보세요.",
        "Unknown command: {name}. See `/news help`.",
    ),
    "unknown_command.guess": (
        "알 수 없는 명령입니다: {name}. 혹시 `/news {guess}`?",
        "Unknown command: {name}. Did you mean `/news {guess}`?",
    ),
    "unknown_topic": (
        "알 수 없는 주제입니다: {name}. 주제: {topics}",
        "Unknown topic: {name}. Topics: {topics}",
    ),
    "ambiguous_topic": (
        "‘{name}’(으)로 시작하는 주제가 여럿입니다: {topics}. 하나를 골라 적으세요.",
        "‘{name}’ is the start of several topics: {topics}. Name one of them.",
    ),
    "bad_since": (
        "기간은 24h, 7d, 2025-10-01 또는 all 형식입니다: {value}",
        "Period must look like 24h, 7d, 2025-10-01 or all: {value}",
    ),
    "since.too_long": (
        "기간이 너무 깁니다: {value}은(는) 1970년 전까지 거슬러 올라갑니다",
        "Period too long: {value} reaches back before 1970",
    ),
    "since.no_date": (
        "그런 날짜는 없습니다: {value} (1970년 이후의 실제 날짜여야 합니다)",
        "No such date: {value} (a real date from 1970 on)",
    ),
    "trend.bad_period": (
        "추이 기간은 30d, 90d, 2025-10-01처럼 {days}일 이내로 적으세요: {value}",
        "A trend period looks like 30d, 90d or 2025-10-01, at most {days} days: {value}",
    ),
    "console.image": ("그림: {path} ({kb} KB)", "Picture: {path} ({kb} KB)"),
    "console.not_saved": (
        "그림을 {path}에 저장하지 못했습니다: {reason}",
        "Could not save the picture to {path}: {reason}",
    ),
    "image.may_arrive": (
        "그림을 올리는 중 Slack의 응답이 끊겼습니다. 잠시 뒤 채널에 나타날 수 있으니 다시 올리지 "
        "마세요.",
        "Slack's answer to the picture upload was lost; it may still appear in the channel, so "
        "don't share it again yet.",
    ),
    "image.not_shared": (
        "그림을 이 채널에 올리지 못했습니다 ({reason}). 봇을 채널에 초대했는지 확인하세요.",
        "Could not share the picture in this channel ({reason}). Is the bot invited here?",
    ),
    "trend.title": ("뉴스 추이", "News trend"),
    "trend.text": (
        "{first}–{last} 스토리 {stories}건 ({topics}){peak}",
        "{first}–{last}: {stories} stories ({topics}){peak}",
    ),
    "trend.text_peak": (" · 가장 많은 날 {day} ({n}건)", " · busiest day {day} ({n})"),
    "trend.chart_title": (
        "{topics} · {first}–{last} 하루 스토리 수",
        "{topics} · stories a day, {first}–{last}",
    ),
    "trend.legend": ("{topic} (스토리 {stories}건)", "{topic} ({stories} stories)"),
    "trend.y_label": ("스토리 수 (같은 사건 기사는 1건)", "stories (one per event)"),
    "trend.peak": ("{day} · {stories}건\n{title}", "{day} · {stories} stories\n{title}"),
    "trend.outlets": ("주요 매체 (스토리 수): {outlets}", "Top outlets (stories): {outlets}"),
    "trend.undated": (
        " · 날짜 없는 스토리 {n}건은 세지 않았습니다",
        " · {n} undated stories left out",
    ),
    "trend.undated_note": ("날짜 없는 스토리 {n}건 제외", "{n} undated stories left out"),
    "trend.empty": ("이 기간에 해당 주제의 스토리가 없습니다.", "No stories in this period."),
    "trend.alt": (
        "{topics} 하루 스토리 수 그래프, {first}–{last}",
        "Chart of stories a day for {topics}, {first}–{last}",
    ),
    "weekly.title": ("주간 뉴스 리포트", "Weekly news report"),
    "subscribed.weekly": (
        "이 채널을 {topics} 주제에 구독했습니다. 매주 {day}요일 {time} ({tz})에 주간 리포트"
        "(한 주의 주요 스토리, 세 줄 요약, 추이 그래프)를 보냅니다.",
        "Subscribed this channel to {topics}. Weekly report every {day} at {time} ({tz}): "
        "the week's top stories, their briefs and the trend picture.",
    ),
    "bad_weekday": (
        "{value}은(는) 요일이 아닙니다: mon…sun / 월…일",
        "{value} is not a weekday: mon…sun / 월…일",
    ),
    "bad_schedule": (
        "{value}은(는) 일정이 아닙니다: daily, weekdays, weekly [요일]",
        "{value} is not a schedule: daily, weekdays, weekly [day]",
    ),
    "two_schedules": (
        "일정은 하나만 적으세요: {first}, {second} 중 하나 (daily, weekdays, weekly [요일])",
        "Give one schedule, not both {first} and {second}: daily, weekdays or weekly [day]",
    ),
    "subscribe.no_topics": (
        "{what}에 받을 주제를 적으세요. 예: /news subscribe apec {what}",
        "Name the topics to schedule {what}, e.g. /news subscribe apec {what}",
    ),
    "subscribe.no_time": (
        "‘{word}’ 뒤에 HH:MM을 적으세요. 예: /news subscribe apec {word} 09:00",
        "‘{word}’ needs a time after it, HH:MM, e.g. /news subscribe apec {word} 09:00",
    ),
    "subscribe.no_zone": (
        "‘{word}’ 뒤에 시간대를 적으세요. 예: /news subscribe apec {word} Asia/Seoul",
        "‘{word}’ needs a time zone after it, e.g. /news subscribe apec {word} Asia/Seoul",
    ),
    "bad_time": ("시간은 HH:MM 형식입니다: {value}", "Time must be HH:MM: {value}"),
    "bad_zone": (
        "알 수 없는 시간대입니다(예: Asia/Seoul): {value}",
        "Unknown time zone (e.g. Asia/Seoul): {value}",
    ),
    "post.bad_target": (
        "slack:채널 또는 discord:채널ID 형식이어야 합니다: {value}",
        "expected slack:CHANNEL or discord:CHANNEL_ID, got {value}",
    ),
    "post.bad_discord_id": (
        "Discord 채널 ID는 숫자입니다: {value}",
        "a Discord channel id is a number, got {value}",
    ),
    "post.no_token": ("{variable}이(가) 설정되지 않았습니다", "{variable} is not set"),
    "stories.no_file": ("파일이 없습니다: {path}", "no such file: {path}"),
    "stories.bad_line": ("{path} {line}번째 줄: {reason}", "{path}: line {line}: {reason}"),
    "labels.bad_case": ("{path}: {reason}", "{path}: {reason}"),
    "search.no_query": ("검색어를 입력해 주세요.", "Give a query to search for."),
    "search.only_exclusions": (
        "찾을 단어가 하나는 있어야 합니다(-단어는 제외할 단어입니다).",
        "Give at least one word to find (-word excludes a word).",
    ),
    "search.too_long": (
        "검색어가 너무 깁니다({max}자까지).",
        "The query is too long (at most {max} characters).",
    ),
    "search.bad_limit": (
        "1에서 {max} 사이의 수가 필요합니다.",
        "expected a number from 1 to {max}",
    ),
    "internal_error": (
        "처리 중 문제가 생겼습니다. 잠시 뒤 다시 시도해 주세요.",
        "Something went wrong. Please try again shortly.",
    ),
    "database_busy": (
        "데이터베이스가 다른 작업(수집·발송)으로 바빠 처리하지 못했습니다. 잠시 뒤 다시 시도해 주세요.",
        "The database is busy with other work (a poll or a delivery). Please try again in a moment.",
    ),
    "working": ("찾는 중입니다…", "Working on it…"),
    "paused": (
        "newsbot이 이 채널에 글을 쓸 수 없어 전송을 멈췄습니다: {reason}",
        "newsbot cannot post in this channel and has paused it: {reason}",
    ),
    "feed_disabled": (
        "피드가 계속 실패해 중지되었습니다: {name} ({reason})",
        "A feed kept failing and was disabled: {name} ({reason})",
    ),
    "alert.title": ("속보 알림", "Alert"),
    "alert.more.title": ("속보 알림 {n}건 더", "{n} more alerts"),
    "alert.more.footer": (
        "그 밖에 {n}건은 /news digest에서 볼 수 있습니다.",
        "{n} more in /news digest.",
    ),
    "left_out": (
        "(메시지 {n}개가 더 있어 생략했습니다. 주제나 기간을 좁혀 주세요.)",
        "({n} more messages left out. Narrow the topic or period.)",
    ),
}
