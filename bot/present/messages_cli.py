"""The command line's own wordings, Korean and English (:func:`bot.present.i18n.t` reads them
beside the chat's).  A mistake a service reports is a :class:`bot.services.errors.UserError`
key of the chat catalog, worded once for both; these are what only the CLI says (its file,
database and option errors, and the one-line results of its commands).  The ``error:`` and
``warning:`` labels in front of a line stay as they are in both languages (scripts grep them).
"""

from __future__ import annotations

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    # errors of the command line itself
    "cli.no_command": ("{word!r} 명령은 없습니다{hint}", "no command {word!r}{hint}"),
    "cli.did_you_mean": (" (혹시 {guess}?)", " (did you mean {guess}?)"),
    "cli.no_database": (
        "{path}에 데이터베이스가 없습니다 (newsbot ingest나 newsbot db upgrade가 만듭니다)",
        "no database at {path} (newsbot ingest, or newsbot db upgrade, makes one)",
    ),
    "cli.no_path": ("그런 파일이나 폴더가 없습니다: {path}", "no such file or directory: {path}"),
    "cli.no_permission": ("권한이 없습니다: {path}", "permission denied: {path}"),
    "cli.topics_file": ("주제 파일: {reason}", "topics file: {reason}"),
    "cli.interrupted": ("중단했습니다", "interrupted"),
    "cli.database": ("데이터베이스: {cause}", "database: {cause}"),
    "cli.unexpected": (
        "{kind}: {cause} (--debug를 붙이면 traceback을 보여 줍니다)",
        "{kind}: {cause} (--debug shows the traceback)",
    ),
    "cli.option": ("{option}: {text}", "{option}: {text}"),
    "cli.cannot_write": ("{path}에 쓸 수 없습니다: {reason}", "cannot write {path}: {reason}"),
    "cli.is_directory": ("{path}은(는) 폴더입니다", "{path} is a directory"),
    "cli.no_directory": ("그런 폴더가 없습니다: {path}", "no such directory: {path}"),
    "cli.not_opml": (
        "{path}은(는) 폴더입니다. OPML 파일이 필요합니다",
        "{path} is a directory, expected an OPML file",
    ),
    "cli.in_file": ("{path}: {reason}", "{path}: {reason}"),
    "cli.not_utf8": ("{path}은(는) UTF-8 글이 아닙니다", "{path} is not UTF-8 text"),
    "cli.bad_port": ("1에서 65535 사이의 포트가 필요합니다", "expected 1-65535"),
    "cli.bad_workspace": (
        "{value}은(는) console:, slack:ID, discord:ID 중 하나가 아닙니다",
        "{value} is not console:, slack:ID or discord:ID",
    ),
    "cli.demo_not_sqlite": (
        "--db는 SQLite 파일 주소여야 합니다 (데모는 자기 파일을 만듭니다)",
        "--db must be a SQLite file URL (the demo builds its own file)",
    ),
    "cli.demo_not_ours": (
        "{path}에는 데모가 만들지 않은 데이터가 있어 그대로 둡니다 (데모에 다른 --db를 주세요)",
        "{path} holds data the demo did not make; it is left alone (give the demo another --db)",
    ),
    "cli.output_needs_weekly": (
        "-o/--output은 --weekly와 함께 씁니다 (리포트의 추이 그림)",
        "-o/--output goes with --weekly (the report's trend picture)",
    ),
    "cli.weekly_since": (
        "--weekly는 늘 지난 7일을 봅니다. --since를 빼세요",
        "--weekly always covers the last 7 days; leave out --since",
    ),
    "cli.weekly_post": (
        "--weekly는 미리보기입니다. 채널에 올리려면 구독하세요 (/news subscribe 주제 weekly)",
        "--weekly is a preview; subscribe a channel (/news subscribe TOPIC weekly) to have it "
        "posted",
    ),
    "cli.two_stdouts": (
        "-o -와 --format json은 둘 다 표준 출력에 씁니다. 하나만 고르세요",
        "-o - and --format json would both write to stdout; pick one",
    ),
    # progress and spinners
    "cli.loading_model": ("한국어 모델(kiwi)을 불러오는 중…", "loading the Korean model (kiwi)…"),
    "cli.analysing": ("분석 중", "analysing"),
    "cli.polling": ("피드 수집 중", "polling feeds"),
    "cli.analysis_failed": (
        "새 기사 분석에 실패했습니다({error}). 기사는 저장되어 있고 다음 실행에서 분석합니다",
        "analysing the new items failed ({error}); they are stored, the next run analyses them",
    ),
    # ingest, demo, clusters
    "cli.ingested": (
        "새 기사 {new}건 (파일 {read}개 읽음{extra})",
        "{new} new articles ({read} files read{extra})",
    ),
    "cli.skipped_n": (", {n}개 건너뜀", ", {n} skipped"),
    "cli.skipped": ("{what}을(를) 건너뛰었습니다: {reason}", "skipped {what}: {reason}"),
    "cli.demo": (
        "데모: {folder}/의 기사 {new}건을 {path}에 넣었습니다",
        "demo: {new} articles from {folder}/ into {path}",
    ),
    "cli.rebuilt": (
        "기사 {count}건의 스토리를 다시 정했습니다",
        "stories assigned again for {count} articles",
    ),
    "cli.briefed": ("스토리 {count}건의 요약을 저장했습니다", "briefs stored for {count} stories"),
    # digest --post
    "cli.post_empty": (
        "올릴 것이 없습니다: 다이제스트가 비어 있습니다",
        "nothing to post: the digest is empty",
    ),
    "cli.posted": (
        "{where}에 스토리 {stories}건을 메시지 {parts}개로 올렸습니다",
        "posted {stories} stories to {where} in {parts} message(s)",
    ),
    "cli.post_already": (
        "{where}에 이미 보냈습니다 (메시지 {parts}개). 다시 올리려면 --force",
        "already delivered to {where} ({parts} message(s)); --force posts it again",
    ),
    "cli.post_pending": (
        "{where}: 메시지 {parts}개를 올렸고 나머지는 보낼 함(outbox)에서 기다립니다 "
        "(newsbot serve가 보냅니다)",
        "{where}: posted {parts} message(s); the rest waits in the outbox (newsbot serve sends it)",
    ),
    "cli.post_paused": (
        "{where}은(는) 전송이 멈춰 있습니다: {reason} (그 채널에서 다시 구독하면 재개합니다)",
        "{where} is paused: {reason} (subscribe again there to resume)",
    ),
    "cli.post_given_up": ("{where}: 전송을 포기했습니다", "{where}: the post was given up"),
    # db, config
    "cli.db_current": (
        "{where}: 이미 최신 리비전 {after}입니다",
        "{where}: already at revision {after}",
    ),
    "cli.db_upgraded": (
        "{where}: {before} -> {after}로 올렸습니다",
        "{where}: upgraded {before} -> {after}",
    ),
    "cli.db_empty": ("빈 데이터베이스", "empty"),
    "cli.config.columns": ("설정|값|출처", "setting|value|from"),
    "cli.config.not_set": ("(설정 안 됨)", "(not set)"),
    "cli.config.everyone": ("(모두)", "(everyone)"),
    "cli.config.redacted": ("<가림>", "<redacted>"),
    "cli.config.off": ("0 (끔)", "0 (off)"),
    "cli.config.default": ("기본값", "default"),
    # a feed's or keyword source's health (the CLI's tables and chat's lists; JSON keeps the word)
    "health.ok": ("정상", "ok"),
    "health.new": ("새 피드", "new"),
    "health.failing": ("오류 중", "failing"),
    "health.disabled": ("중지됨", "disabled"),
    # feeds
    "cli.every": ("{interval}마다", "every {interval}"),
    "cli.feed_added": (
        "피드 #{id}을(를) 추가했습니다: {url} ({every}){found}",
        "added feed #{id}: {url} ({every}){found}",
    ),
    "cli.feed_present": (
        "이미 피드 #{id}(으)로 있습니다: {url}{updated}",
        "already present as feed #{id}: {url}{updated}",
    ),
    "cli.updated": (" ({what} 바꿈)", " ({what} updated)"),
    "cli.and": (", ", " and "),
    "cli.no_feeds": (
        "피드가 없습니다. 추가하려면: newsbot feeds add URL",
        "no feeds yet; add one with: newsbot feeds add URL",
    ),
    "cli.feeds.columns": (
        "ID|이름|주소|읽는 곳|주기|상태|마지막 성공|오류|문제",
        "id|name|URL|read by|every|health|last ok|errors|problem",
    ),
    "cli.disabled_at": ("{when}에 중지: {reason}", "disabled {when}: {reason}"),
    "cli.paused_at": ("{when}에 멈춤: {reason}", "paused {when}: {reason}"),
    "cli.warning_cell": ("경고: {reason}", "warning: {reason}"),
    "cli.everyone": ("모두", "everyone"),
    "cli.shared_by": ("모두 ({owner}이(가) 공유)", "everyone (shared by {owner})"),
    "cli.operators_feed": ("모두 (운영자의 피드)", "everyone (an operator's feed)"),
    "cli.feed_shared": (
        "피드 #{id}을(를) 모든 워크스페이스가 읽습니다: {url}",
        "feed #{id} is read by every workspace: {url}",
    ),
    "cli.feed_read_by": (
        "피드 #{id}은(는) {who}만 읽습니다: {url}",
        "feed #{id} is read by {who}: {url}",
    ),
    "cli.feed_removed": (
        "피드 #{id}을(를) 지웠습니다: {url} (저장된 기사는 남습니다)",
        "removed feed #{id}: {url} (its stored items are kept)",
    ),
    "cli.feed_enabled": (
        "피드 #{id}을(를) 다시 켰습니다: {url} (지금 수집 차례)",
        "feed #{id} enabled: {url} (due now)",
    ),
    "cli.imported": (
        "{path}: 피드 {listed}개 중 {added}개 추가, {present}개는 이미 있음{extra}{sources}",
        "{path}: {listed} feeds listed: {added} added, {present} already present{extra}{sources}",
    ),
    "cli.imported_sources": (
        "; 키워드 소스 {found}개: {added}개 추가, {present}개는 이미 있음",
        "; {found} keyword sources: {added} added, {present} already present",
    ),
    "cli.exported": ("피드 {n}개를 {path}에 내보냈습니다", "exported {n} feeds to {path}"),
    # poll
    "cli.poll_failed": (
        "피드 #{id} {label}: 실패: {reason}",
        "feed #{id} {label}: failed: {reason}",
    ),
    "cli.poll_disabled": (
        "피드 #{id} {label}: {n}번 잇달아 실패해 중지했습니다 (다시 시도: newsbot feeds enable {id})",
        "feed #{id} {label}: disabled after {n} consecutive failures "
        "(newsbot feeds enable {id} to retry)",
    ),
    "cli.poll_warning": ("피드 #{id} {label}: {reason}", "feed #{id} {label}: {reason}"),
    "cli.poll_summary": (
        "{feeds} 수집: {items}{silent}, 변경 없음 {not_modified}, 실패 {failed} ({seconds:.1f}초)",
        "{feeds} polled: {items}{silent}, {not_modified} not modified, {failed} failed "
        "({seconds:.1f} s)",
    ),
    "cli.feeds_n": ("피드 {n}개", "{n} feeds"),
    "cli.feeds_1": ("피드 {n}개", "{n} feed"),
    "cli.items_n": ("새 항목 {n}건", "{n} new items"),
    "cli.items_1": ("새 항목 {n}건", "{n} new item"),
    "cli.poll_silent": (" (첫 수집 {n}건은 알리지 않음)", " ({n} from first polls, not alerted)"),
    "cli.poll_no_feeds": (
        "수집할 피드가 없습니다. 추가하려면: newsbot feeds add URL",
        "no feeds to poll; add one with: newsbot feeds add URL",
    ),
    "cli.poll_all_disabled": (
        "수집할 피드가 없습니다: {n}개 모두 중지됨 (newsbot feeds list)",
        "no feeds to poll: all {n} are disabled (newsbot feeds list)",
    ),
    "cli.poll_none_due": (
        "지금 차례인 피드가 없습니다. 다음 차례는 {when} (--all은 모든 피드를 지금 수집합니다)",
        "no feeds due; the next is due at {when} (--all polls every feed now)",
    ),
    # keyword sources
    "cli.source_added": (
        "키워드 소스 #{id}을(를) 추가했습니다: {label} ({every})",
        "added source #{id}: {label} ({every})",
    ),
    "cli.source_present": (
        "이미 키워드 소스 #{id}(으)로 있습니다: {label}",
        "already present as source #{id}: {label}",
    ),
    "cli.source_needs_keys": (
        "참고: NAVER_CLIENT_ID / NAVER_CLIENT_SECRET이 설정되기 전까지는 가져오지 않습니다",
        "note: it is not polled until NAVER_CLIENT_ID / NAVER_CLIENT_SECRET are set",
    ),
    "cli.no_sources": (
        '키워드 소스가 없습니다. 추가하려면: newsbot sources add naver "소버린 AI"',
        'no keyword sources yet; add one with: newsbot sources add naver "소버린 AI"',
    ),
    "cli.sources.columns": (
        "ID|소스|읽는 곳|주기|상태|마지막 수집|새 기사|오류|문제",
        "id|source|read by|every|health|last poll|new|errors|problem",
    ),
    "cli.source_removed": (
        "키워드 소스 #{id}을(를) 지웠습니다: {label} (저장된 기사는 남습니다)",
        "removed source #{id}: {label} (its stored items are kept)",
    ),
    # watches
    "cli.watch_imported": (
        "워치 {name}을(를) {verb}: 최근 {days}일 기사 {n}건이 맞습니다",
        "{verb} watch {name}: {n} matches in the last {days} days",
    ),
    "cli.watch_added_verb": ("추가했습니다", "added"),
    "cli.watch_replaced_verb": ("바꿨습니다", "replaced"),
    # the watches file (`watches import`); a TOML syntax error is watch.bad_toml with its reason
    "watch.toml_empty": (
        "워치 파일을 읽을 수 없습니다: [watches.<이름>] 표가 없습니다",
        "Cannot read the watches file: no [watches.<name>] tables",
    ),
    "watch.toml_not_table": (
        "워치 파일을 읽을 수 없습니다: watches.{name}이(가) 표가 아닙니다",
        "Cannot read the watches file: watches.{name} is not a table",
    ),
    "watch.toml_twice": (
        "워치 파일을 읽을 수 없습니다: 워치 {name}이(가) 두 번 있습니다",
        "Cannot read the watches file: watch {name} is listed twice",
    ),
    "watch.toml_not_list": (
        "워치 파일을 읽을 수 없습니다: watches.{name}.{field}은(는) 글자의 목록이어야 합니다",
        "Cannot read the watches file: watches.{name}.{field} must be a list of text",
    ),
    # trend, weekly
    "cli.wrote": ("{path}에 썼습니다", "wrote {path}"),
    "cli.picture_written": ("추이 그림을 {path}에 썼습니다", "trend picture written to {path}"),
}
