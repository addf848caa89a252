"""Korean particles chosen by the last sound of the word before them (받침), in every reply."""

from __future__ import annotations

import pytest

from bot.core.particles import particle
from bot.present.i18n import MESSAGES, t


@pytest.mark.parametrize(
    ("word", "eul", "i", "eun", "gwa", "ro"),
    [
        # Hangul: 받침 or not, and ㄹ for (으)로
        ("반도체", "를", "가", "는", "와", "로"),
        ("삼성", "을", "이", "은", "과", "으로"),
        ("뉴시스", "를", "가", "는", "와", "로"),
        ("서울", "을", "이", "은", "과", "로"),  # ㄹ: 서울로, not 서울으로
        ("‘반도체’", "를", "가", "는", "와", "로"),  # through the closing quote
        ("연합뉴스)", "를", "가", "는", "와", "로"),
        # numbers, as read in Korean
        ("1", "을", "이", "은", "과", "로"),  # 일
        ("2", "를", "가", "는", "와", "로"),  # 이
        ("3", "을", "이", "은", "과", "으로"),  # 삼
        ("6", "을", "이", "은", "과", "으로"),  # 육
        ("7", "을", "이", "은", "과", "로"),  # 칠
        ("10", "을", "이", "은", "과", "으로"),  # 십
        ("100", "을", "이", "은", "과", "으로"),  # 백
        ("2000", "을", "이", "은", "과", "으로"),  # 이천
        ("#12", "를", "가", "는", "와", "로"),  # 십이
        ("0", "을", "이", "은", "과", "으로"),  # 영
        # Latin names by their pronunciation's last sound
        ("GPU", "를", "가", "는", "와", "로"),  # 지피유
        ("IBM", "을", "이", "은", "과", "으로"),  # 아이비엠
        ("URL", "을", "이", "은", "과", "로"),  # 유알엘
        ("APEC", "을", "이", "은", "과", "으로"),  # 에이펙
        ("Nvidia", "를", "가", "는", "와", "로"),  # 엔비디아
        ("Samsung", "을", "이", "은", "과", "으로"),  # 삼성
        ("Intel", "을", "이", "은", "과", "로"),  # 인텔
        ("Google", "을", "이", "은", "과", "로"),  # 구글
        ("Amazon", "을", "이", "은", "과", "으로"),  # 아마존
        ("Naver", "를", "가", "는", "와", "로"),  # 네이버
        ("gpu_deal", "을", "이", "은", "과", "로"),  # …딜
        # unknown: the written-out pair stays
        ("漢字", "을(를)", "이(가)", "은(는)", "와(과)", "(으)로"),
        ("", "을(를)", "이(가)", "은(는)", "와(과)", "(으)로"),
    ],
)
def test_the_particle_follows_the_last_sound(
    word: str, eul: str, i: str, eun: str, gwa: str, ro: str
) -> None:
    got = [particle(word, p) for p in ("을(를)", "이(가)", "은(는)", "와(과)", "(으)로")]
    assert got == [eul, i, eun, gwa, ro]


def test_replies_carry_the_particle_not_the_placeholder_pair() -> None:
    assert t("muted", "ko", what="뉴시스", until="") == "이 채널에서 뉴시스를 숨깁니다."
    assert t("muted", "ko", what="연합뉴스 사진", until="").startswith(
        "이 채널에서 연합뉴스 사진을"
    )
    assert t("watch.saved", "ko", name="반도체") == "워치 ‘반도체’를 저장했습니다."
    assert t("watch.saved", "ko", name="hbm") == "워치 ‘hbm’을 저장했습니다."
    assert t("feeds.missing", "ko", id=3) == "피드 #3이 없습니다."
    assert t("feeds.missing", "ko", id=2) == "피드 #2가 없습니다."
    assert t("watch.saved", "en", name="반도체") == "Saved watch ‘반도체’."
    for key, (ko, _) in MESSAGES.items():  # every pair left in a message follows a placeholder
        for pair in ("을(를)", "이(가)", "은(는)", "와(과)", "(으)로"):
            if pair in ko:
                assert ko.split(pair, 1)[0].rstrip("’”'\")").endswith("}"), key
