"""Issue 27, failure 11: watch names, terms and mute targets that could not work are refused
with one line (or cleaned, for invisible characters); exported watches import back, all or
nothing; numbers and dates no id or period can be get one line, and the CLI exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.particles import particle
from bot.present.i18n import t
from tests.helpers import run_cli
from tests.helpers.bot import Bot

# the ``bot`` fixture answers over a copy of the seeds: outlets a mute can name


@pytest.mark.parametrize("name", ["7d", "24h", "all", "alerts", "weekly", "weekdays", "금", "fri"])
def test_a_watch_named_like_a_command_word_is_refused(bot: Bot, name: str) -> None:
    said = bot(f"/news watch add {name} HBM 고대역폭메모리")
    assert said == (
        f"‘{name}’{particle(name, '은(는)')} 명령에서 다른 뜻으로 읽히는 낱말(기간, 요일, 옵션)이라 워치 이름으로 쓸 "
        "수 없습니다."
    )
    assert bot.store.watches() == []


def test_a_watch_named_like_a_builtin_alias_is_refused_in_the_users_language(bot: Bot) -> None:
    assert bot("/news watch add 에이펙 HBM") == (
        "‘에이펙’은 기본 주제 apec을 가리키는 말입니다. 다른 이름을 쓰세요."
    )
    assert bot("/news watch add 에이펙 HBM", lang="en") == (
        "‘에이펙’ already names the built-in topic apec. Choose another."
    )
    assert bot.store.watches() == []


def test_invisible_characters_are_cleaned_and_overlong_words_refused(bot: Bot) -> None:
    said = bot("/news watch add hbm 고대역\u200b폭메모리 \u202eHBM --yes")
    assert "저장했습니다" in said
    [watch] = bot.store.watches()
    assert watch.spec["terms"] == ["고대역폭메모리", "HBM"]  # they match what they look like
    long_word = "가" * 61
    said = bot(f"/news watch edit hbm HBM {long_word}")
    assert said == f"‘{'가' * 20}…’: 단어 하나는 60자까지 쓸 수 있습니다."
    assert bot.store.watches()[0].spec["terms"] == ["고대역폭메모리", "HBM"]  # unchanged

    assert bot("/news mute \u202e연합\u200b뉴스") == "이 채널에서 연합뉴스를 숨깁니다."
    assert bot(f"/news mute {'가' * 65}") == "숨길 매체 이름은 64자까지입니다."
    assert "연합뉴스" in bot("/news mute")


def test_an_exported_watch_with_a_control_character_imports_back(
    bot: Bot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a watch stored before terms were cleaned: control characters in its words
    bot.store.save_watch("console", "", "ctl", {"terms": ["원전\x01수출", "탭\t단어"]})
    db = ["--db", bot.app.settings.database_url]
    exported = tmp_path / "watches.toml"
    code, _, err = run_cli(["watches", "export", "-o", str(exported), *db], capsys)
    assert code == 0, err
    code, out, err = run_cli(
        ["watches", "import", str(exported), "--workspace", "slack:T1", *db], capsys
    )
    assert code == 0, err
    added = t("cli.watch_added_verb", "ko")
    assert out.startswith(t("cli.watch_imported", "ko", verb=added, name="ctl", n=0, days=30))
    [imported] = bot.store.watches("slack", "T1")
    assert imported.spec["terms"] == ["원전수출", "탭\t단어"]


def watches_file(names: list[str]) -> str:
    return "\n".join(f'[watches."{n}"]\nterms = ["단어{i}"]\n' for i, n in enumerate(names))


def test_an_import_saves_all_or_nothing_and_says_why_at_51(
    bot: Bot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", bot.app.settings.database_url]
    twice = tmp_path / "twice.toml"
    twice.write_text(watches_file(["alpha", "beta", "Beta"]), encoding="utf-8")
    code, _, err = run_cli(["watches", "import", str(twice), *db], capsys)
    assert code == 2 and err.strip() == f"error: {t('watch.toml_twice', 'ko', name='beta')}"
    assert bot.store.watches() == []  # nothing saved, not alpha and beta

    fifty_one = tmp_path / "many.toml"
    fifty_one.write_text(watches_file([f"w{n:02d}" for n in range(51)]), encoding="utf-8")
    code, _, err = run_cli(["watches", "import", str(fifty_one), *db], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    said = t("watch.import_too_many", "ko", new=51, max=50, existing=0)
    assert " ".join(err.split()) == f"error: {said}"
    assert bot.store.watches() == []

    fifty = tmp_path / "fifty.toml"
    fifty.write_text(watches_file([f"w{n:02d}" for n in range(50)]), encoding="utf-8")
    code, _, err = run_cli(["watches", "import", str(fifty), *db], capsys)
    assert code == 0, err
    assert len(bot.store.watches()) == 50


@pytest.mark.parametrize(
    "args",
    [
        ["why", "²"],
        ["why", "9" * 30],
        ["digest", "--since", "0001-01-01"],
        ["search", "GPU", "--since", "0001-01-01"],
    ],
    ids=["why-superscript", "why-huge", "digest-year-1", "search-year-1"],
)
def test_numbers_and_dates_no_id_or_period_can_be_exit_2_with_one_line(
    bot: Bot, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    bot("/news topics")  # the database exists
    code, out, err = run_cli([*args, "--db", bot.app.settings.database_url], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "OverflowError" not in err


def test_in_chat_they_get_one_line_in_the_users_language(bot: Bot) -> None:
    assert bot("/news why ²") == "‘²’은(는) 기사 ID가 아닙니다: 0-9 숫자로 18자리까지입니다."
    assert bot("/news why ²", lang="en") == "‘²’ is no item id: an id is up to 18 digits 0-9."
    assert bot(f"/news mute #{'9' * 30}").endswith(
        "기사 ID가 아닙니다: 0-9 숫자로 18자리까지입니다."
    )
    assert bot("/news digest 0001-01-01") == (  # written right: the date is what is wrong
        "그런 날짜는 없습니다: 0001-01-01 (1970년 이후의 실제 날짜여야 합니다)"
    )
