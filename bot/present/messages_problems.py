"""The catalog's wordings of problems found below the surfaces: a malformed setting
(``setting.*``) and what it should have been (``expect.*``), why a feed could not be fetched
(``fetch.*``, worded from the stored cause by :mod:`bot.present.problems`) and why a seed file
was skipped (``seed.*``).  (Korean, English) as in :mod:`bot.present.i18n`."""

from __future__ import annotations

SETTING_MESSAGES: dict[str, tuple[str, str]] = {
    "setting.invalid": (
        "{var}: 잘못된 값 {value}: {problem}",
        "{var}: invalid value {value}: {problem}",
    ),
    "setting.guild_required": (
        "NEWSBOT_DISCORD_GUILD_ID: NEWSBOT_DISCORD_SYNC=guild이면 꼭 있어야 합니다",
        "NEWSBOT_DISCORD_GUILD_ID: required when NEWSBOT_DISCORD_SYNC=guild",
    ),
    "setting.longer_than_renew": (
        "{var}: NEWSBOT_LEADER_RENEW보다 길어야 합니다",
        "{var}: must be longer than NEWSBOT_LEADER_RENEW",
    ),
    "setting.no_file": ("{var}: 그런 파일이 없습니다: {path}", "{var}: no such file: {path}"),
    "setting.unreadable": (
        "{var}: 읽을 수 없습니다: {path} ({problem})",
        "{var}: cannot read {path}: {problem}",
    ),
    "setting.not_utf8": (
        "{var}: {path}: UTF-8 텍스트가 아닙니다",
        "{var}: {path} is not UTF-8 text",
    ),
    "setting.db_option": ("--db: {problem}", "--db: {problem}"),
    "expect.bool": (
        "1/0, true/false, yes/no 또는 on/off여야 합니다",
        "expected 1/0, true/false, yes/no or on/off",
    ),
    "expect.int": (
        "{lo}부터 {hi}까지의 정수여야 합니다",
        "expected a whole number from {lo} to {hi}",
    ),
    "expect.hhmm": ("24시간제 HH:MM이어야 합니다", "expected HH:MM, 24-hour clock"),
    "expect.tz": ("모르는 시간대입니다: {zone}", "unknown time zone {zone}"),
    "expect.db_url": (
        "sqlite:///경로 또는 postgresql://user@host/db 형식이어야 합니다",
        "expected sqlite:///path or postgresql://user@host/db",
    ),
    "expect.host": (
        "127.0.0.1, 0.0.0.0 같은 IP 주소나 호스트 이름이어야 합니다",
        "expected an IP address such as 127.0.0.1 or 0.0.0.0, or a host name",
    ),
    "expect.outlets_file": (
        "outlets 표로 읽을 수 없습니다: {reason}",
        "not a readable outlets table: {reason}",
    ),
    "expect.duration_range": (
        "{lo}부터 {hi}까지의 기간이어야 합니다",
        "expected a duration from {lo} to {hi}",
    ),
    "expect.http_url": ("http(s) URL이어야 합니다", "expected an http(s) URL"),
    "expect.lang": ("ko 또는 en이어야 합니다", "expected ko or en"),
    "expect.log_level": (
        "DEBUG, INFO, WARNING 또는 ERROR여야 합니다",
        "expected DEBUG, INFO, WARNING or ERROR",
    ),
    "expect.sync": ("global, guild 또는 off여야 합니다", "expected global, guild or off"),
    "expect.duration": (
        "30s, 15m, 6h, 1d, 2w 같은 기간이어야 합니다",
        "expected a duration such as 30s, 15m, 6h, 1d or 2w",
    ),
    "expect.other": ("{detail}", "{detail}"),
}

FETCH_MESSAGES: dict[str, tuple[str, str]] = {
    "fetch.http": ("서버가 HTTP {status}(으)로 답했습니다", "HTTP {status}{phrase}"),
    "fetch.no_host": ("주소를 찾을 수 없는 호스트입니다: {host}", "cannot resolve {host}"),
    "fetch.no_connect": ("연결할 수 없습니다: {host}", "cannot connect to {host}"),
    "fetch.tls": ("TLS 연결 실패 ({host}): {detail}", "TLS handshake with {host} failed: {detail}"),
    "fetch.timeout_after": ("{seconds}초 안에 끝나지 않았습니다", "timed out after {seconds} s"),
    "fetch.timeout": (
        "서버의 응답을 기다리다 시간이 지났습니다",
        "timed out waiting for the server",
    ),
    "fetch.redirects": (
        "리디렉션이 너무 많습니다 ({limit}번 넘게)",
        "too many redirects (more than {limit})",
    ),
    "fetch.no_location": (
        "Location 헤더가 없는 리디렉션입니다",
        "redirect without a Location header",
    ),
    "fetch.private": (
        "사설 주소는 허용되지 않습니다: {host}",
        "refused non-public address for {host}",
    ),
    "fetch.too_large": (
        "응답 본문이 {size}보다 큽니다 (압축을 푼 뒤)",
        "response body larger than {size} (after decompression)",
    ),
    "fetch.html_page": (
        "피드가 아닙니다: HTML 페이지입니다 (사이트의 RSS나 Atom 주소를 추가하세요)",
        "not a feed: this is an HTML page (add the site's RSS or Atom address)",
    ),
    "fetch.empty": ("빈 문서입니다", "empty document"),
    "fetch.unparsable": ("피드를 해석할 수 없습니다: {detail}", "cannot parse feed: {detail}"),
    "fetch.undecodable": (
        "피드의 인코딩을 읽을 수 없습니다: {detail}",
        "cannot decode feed: {detail}",
    ),
    "fetch.network": ("네트워크 오류: {detail}", "network error: {detail}"),
    "fetch.failed": ("가져오지 못했습니다: {detail}", "fetch failed: {detail}"),
    "fetch.invalid_url": ("잘못된 URL: {detail}", "invalid URL: {detail}"),
    "fetch.cannot_store": (
        "항목을 저장할 수 없습니다 ({detail})",
        "cannot store its items ({detail})",
    ),
    "fetch.unknown": ("알 수 없는 오류", "unknown error"),
    "fetch.disabled_after": (
        "{n}번 연속 실패, 마지막: {cause}",
        "{n} consecutive failures; last: {cause}",
    ),
}

SEED_MESSAGES: dict[str, tuple[str, str]] = {
    "seed.binary": ("바이너리 데이터입니다", "binary data"),
    "seed.encoding": (
        "UTF-8도 CP949/EUC-KR도 아니고, 맞는 인코딩이 없습니다",
        "not valid UTF-8 or CP949/EUC-KR, and no other encoding fits",
    ),
    "seed.too_large": ("{mib} MiB보다 큽니다", "larger than {mib} MiB"),
    "seed.no_text": ("글이 없습니다", "no text"),
    "seed.gone": ("그런 파일이 없습니다", "no such file"),
    "seed.no_permission": ("읽을 권한이 없습니다", "permission denied"),
    "seed.unreadable": ("읽을 수 없습니다: {reason}", "cannot read: {reason}"),
}

# why the operating system refused (bot.core.oserrors): a reason, said after a path
OS_MESSAGES: dict[str, tuple[str, str]] = {
    "os.not_found": ("그런 파일이나 폴더가 없습니다", "no such file or directory"),
    "os.is_directory": ("파일이 아니라 폴더입니다", "is a directory"),
    "os.not_directory": (
        "경로 중간에 폴더가 아닌 것이 있습니다",
        "a part of the path is not a directory",
    ),
    "os.permission": ("권한이 없습니다", "permission denied"),
    "os.no_space": ("디스크에 남은 공간이 없습니다", "no space left on the device"),
    "os.read_only": ("읽기 전용 파일 시스템입니다", "read-only file system"),
    "os.other": ("운영체제 오류 {code}", "operating system error {code}"),
}

# a topics file (NEWSBOT_TOPICS_FILE) that cannot be used: {at} is the file, its line and key
TOPICS_MESSAGES: dict[str, tuple[str, str]] = {
    "topics.at_line": ("{path}: {line}번째 줄: {dotted}", "{path}: line {line}: {dotted}"),
    "topics.at": ("{path}: {dotted}", "{path}: {dotted}"),
    "topics.unreadable": ("{path}: 읽을 수 없습니다: {reason}", "{path}: cannot read: {reason}"),
    "topics.toml": ("{path}: TOML 문법 오류: {detail}", "{path}: {detail}"),
    "topics.no_topics": (
        "{at}: [topics.<id>] 표가 하나 이상 있어야 합니다",
        "{at}: needs at least one [topics.<id>] table",
    ),
    "topics.not_string_list": ("{at}: 문자열 목록이어야 합니다", "{at}: must be a list of strings"),
    "topics.unknown_table": ("{at}: 알 수 없는 표 {name!r}", "{at}: unknown table {name!r}"),
    "topics.bad_id": (
        "{at}: 주제 id는 영문 소문자, 숫자, _로 씁니다",
        "{at}: topic id must be lower-case letters, digits, _",
    ),
    "topics.not_table": ("{at}: 표여야 합니다", "{at}: must be a table"),
    "topics.unknown_key": ("{at}: 알 수 없는 키 {name!r}", "{at}: unknown key {name!r}"),
    "topics.not_group_list": (
        "{at}: 단어 묶음 이름의 목록이어야 합니다",
        "{at}: must be a list of group names",
    ),
    "topics.no_group": (
        "{at}: {name!r}(이)라는 단어 묶음이 없습니다",
        "{at}: no group named {name!r}",
    ),
    "topics.no_groups": (
        "{at}: 단어 묶음이 하나 이상 있어야 합니다",
        "{at}: needs at least one group of terms",
    ),
    "topics.not_group_table": (
        "{at}: 단어 묶음의 표여야 합니다",
        "{at}: must be a table of groups",
    ),
    "topics.bad_group": (
        "{at}: {{ weight = …, terms = [ … ] }} 꼴이어야 합니다",
        "{at}: must be {{ weight = …, terms = [ … ] }}",
    ),
    "topics.bad_terms": (
        "{at}: 비어 있지 않은 문자열 목록이어야 합니다",
        "{at}: must be a non-empty list of strings",
    ),
    "topics.not_string": ("{at}: 문자열이어야 합니다", "{at}: must be a string"),
    "topics.not_bool": ("{at}: true나 false여야 합니다", "{at}: must be true or false"),
    "topics.not_number": (
        "{at}: 수여야 합니다 (받은 값: {value!r})",
        "{at}: must be a number, not {value!r}",
    ),
    "topics.too_small": ("{at}: {lo:g} 이상이어야 합니다", "{at}: must be at least {lo:g}"),
}

PROBLEM_MESSAGES = {
    **SETTING_MESSAGES,
    **FETCH_MESSAGES,
    **SEED_MESSAGES,
    **OS_MESSAGES,
    **TOPICS_MESSAGES,
}
