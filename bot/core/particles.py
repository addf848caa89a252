"""Korean particles that follow the word before them: 을/를, 이/가, 은/는, 과/와, (으)로.

The choice depends on the last sound of the word (받침, the final consonant of its last
syllable), as Korean readers hear it:

- a Hangul syllable: its own 받침 (``반도체`` -> 를, ``뉴시스`` -> 를, ``연합뉴스`` -> 를,
  ``엔비디아`` -> 가, ``삼성`` -> 을); for (으)로 a ㄹ 받침 takes 로 like a vowel (``서울로``);
- digits: the number read in Korean: its last digit (``3`` 삼 -> 을, ``2`` 이 -> 를, ``7`` 칠 ->
  로), or the power of ten it ends in (``10`` 십, ``100`` 백, ``1000`` 천, ``10000`` 만);
- Latin letters: an acronym is read letter by letter (``IBM`` ...엠 -> 을, ``GPU`` ...유 -> 를,
  ``URL`` ...엘 -> 로); a word by its last letters, as far as a simple rule goes (``Intel`` ->
  을, ``Samsung`` -> 을, ``Nvidia`` -> 를, ``Google`` -> 을);
- anything else (Hanja, emoji): unknown, so the written-out pair stays (``을(를)``).

Closing quotes, brackets and spaces after the word are looked through (``‘반도체’을(를)``).

:func:`fill` replaces the pair written after a message's placeholders (``{name}을(를)``) with the
right particle; :func:`bot.present.i18n.t` calls it, so messages keep writing ``을(를)``.
"""

from __future__ import annotations

import re

# the two forms of each particle: (after a final consonant, after a vowel)
PAIRS: dict[str, tuple[str, str]] = {
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라": ("이라", "라"),
}

RIEUL = 8  # ㄹ's index among the final consonants
_NO_FINAL, _UNKNOWN = 0, -1
# digit -> the final consonant of its Korean reading: 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# trailing zeros -> 십 (ㅂ) 백 (ㄱ) 천 (ㄴ) 만 (ㄴ) ... 억 (ㄱ) ... 조 (none)
_TENS_FINAL = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 1, 10: 1, 11: 1}
# a letter's name in Korean ends in: L 엘, M 엠, N 엔, R 알 -> a consonant; the rest a vowel
_LETTER_FINAL = {"l": 8, "m": 16, "n": 4, "r": 8}
_TRAILING = " \t'\"’”』」)]}>»›."
_ACRONYM_WORDS = {"apec": 1, "nato": 0, "asean": 4, "unesco": 0, "nasa": 0, "opec": 1}


def final_consonant(word: str) -> int:
    """The index (1-27) of the final consonant the word ends in when read aloud, 0 when it ends
    in a vowel, -1 when the rule cannot tell."""
    text = word.rstrip(_TRAILING)
    if not text:
        return _UNKNOWN
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last.isdigit() and last.isascii():
        digits = re.search(r"\d+$", text)
        number = digits.group(0).lstrip("0") if digits else ""
        if not number:
            return _DIGIT_FINAL["0"]
        zeros = len(number) - len(number.rstrip("0"))
        return _DIGIT_FINAL[last] if zeros == 0 else _TENS_FINAL.get(zeros, _NO_FINAL)
    if last.isascii() and last.isalpha():
        latin = re.search(r"[A-Za-z]+$", text)
        return _latin_final(latin.group(0) if latin else last)
    return _UNKNOWN


def _latin_final(word: str) -> int:
    low = word.lower()
    if low in _ACRONYM_WORDS:  # acronyms read as a word: APEC 에이펙
        return _ACRONYM_WORDS[low]
    if word.isupper() or len(word) == 1:  # read letter by letter: IBM 아이비엠, GPU 지피유
        return _LETTER_FINAL.get(low[-1], _NO_FINAL)
    if low.endswith("ng"):  # Samsung 삼성
        return 21
    if low.endswith(("gle", "ll", "l")):  # Google 구글, Intel 인텔, deal 딜
        return RIEUL
    if low.endswith("m"):  # Arm 암, team 팀
        return 16
    if low.endswith("n"):  # Amazon 아마존, Rebellion 리벨리온
        return 4
    if re.search(r"(?<![aeiou])[aeiou](ck|k)$", low):  # deck 덱, check 체크 is a guess either way
        return 1
    if re.search(r"(?<![aeiou])[aeiou]p$", low):  # chip 칩
        return 17
    return _NO_FINAL  # vowels, r (Naver 네이버), and the rest read with a vowel at the end


def particle(word: str, pair: str) -> str:
    """The particle of ``pair`` (a key of :data:`PAIRS`, e.g. ``을(를)``) after ``word``; the
    pair as written when the word's last sound is unknown."""
    consonant, vowel = PAIRS[pair]
    final = final_consonant(word)
    if final == _UNKNOWN:
        return pair
    if pair == "(으)로" and final == RIEUL:
        return vowel
    return consonant if final else vowel


_PAIR = "|".join(re.escape(p) for p in PAIRS)
_PLACEHOLDER = re.compile(r"\{(\w+)(?:[^{}]*)\}([" + re.escape(_TRAILING) + r"]*)(" + _PAIR + ")")


def fill(template: str, values: dict[str, object]) -> str:
    """``template`` with the pair after each placeholder (``{name}을(를)``, ``‘{name}’이(가)``)
    replaced by the particle its value takes; the placeholders themselves are left to
    ``str.format``."""

    def choose(m: re.Match[str]) -> str:
        name, between, pair = m.group(1), m.group(2), m.group(3)
        if name not in values:
            return m.group(0)
        chosen = particle(str(values[name]), pair).replace("{", "{{").replace("}", "}}")
        return m.group(0)[: -len(pair)] + chosen if between is not None else m.group(0)

    return _PLACEHOLDER.sub(choose, template)
