"""The analyser: kiwi with the domain dictionary, NFKC, aliases, sentences and asides."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    ["소버린AI", "소버린 AI", "소버린(주권형) AI", "ｓｏｖｅｒｅｉｇｎ　ＡＩ", "Sovereign AI"],
)
def test_sovereign_ai_spellings_read_alike(analyser, text: str) -> None:  # type: ignore[no-untyped-def]
    field = analyser.analyse(text, "").title
    main = [t.lemma for t in field.tokens if not t.aside]
    assert main == ["소버린", "ai"]


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("소버린", "소버린"),
        ("에이펙", "apec"),
        ("하이퍼클로바X", "하이퍼클로바x"),
        ("독파모", "독파모"),
        ("스타게이트", "스타게이트"),
        ("블랙웰", "블랙웰"),
        ("NVIDIA", "엔비디아"),
        ("엔비디아가", "엔비디아"),
        ("그래픽처리장치", "gpu"),
        ("GPUs", "gpu"),
        ("H100", "h100"),
        ("HBM3E", "hbm3e"),
        ("아시아태평양경제협력체", "apec"),
        ("260,000", "260000"),
    ],
)
def test_domain_words_stay_whole(analyser, word: str, lemma: str) -> None:  # type: ignore[no-untyped-def]
    assert analyser.lemmas(word) == [lemma]


def test_particles_and_endings_do_not_matter(analyser) -> None:  # type: ignore[no-untyped-def]
    assert analyser.lemmas("엔비디아의 GPU를 확보했다") == analyser.lemmas("엔비디아 GPU 확보")


def test_sentences_and_title(analyser) -> None:  # type: ignore[no-untyped-def]
    an = analyser.analyse('APEC 개막…경주 "준비 끝"', "첫 문장이다. 둘째 문장.\n셋째 줄")
    assert {t.sent for t in an.title.tokens} == {0}
    assert an.body.sentences == 3


def test_latin_words_split_by_kiwi_are_joined(analyser) -> None:  # type: ignore[no-untyped-def]
    lemmas = analyser.lemmas("a supercomputer in Tennessee. NVIDIA's chips.")
    assert lemmas == ["supercomputer", *analyser.lemmas("Tennessee"), "엔비디아", "chip"]
    assert len(analyser.lemmas("Tennessee")) == 1


def test_batch_equals_single(analyser) -> None:  # type: ignore[no-untyped-def]
    docs = [("제목 하나", "엔비디아가 GPU를 공급한다."), ("APEC", "경주에서 정상회의가 열렸다.")]
    many = analyser.analyse_many(docs)
    assert [a.body.lemmas for a in many] == [analyser.analyse(*d).body.lemmas for d in docs]


def test_words_sharing_one_kiwi_id_keep_their_own_lemmas(analyser) -> None:  # type: ignore[no-untyped-def]
    # kiwi gives every unknown proper noun, Latin word and number of a kind one shared id; the
    # analyser remembers dictionary morphemes by id, and must not do so for these
    text = "뷁쒧과 퓕뛣이 만났다. Apple met Samsung with 300 and 4,500 chips."
    first = analyser.lemmas(text)
    assert first[:2] == ["뷁쒧", "퓕뛣"]
    assert {"samsung", "300", "4500", *analyser.lemmas("Apple")} <= set(first)
    assert analyser.lemmas("퓕뛣 Samsung 4,500") == ["퓕뛣", "samsung", "4500"]
    assert analyser.lemmas(text) == first  # the same answer once the caches are warm


def test_noun_suffix_joins_only_its_own_noun(analyser) -> None:  # type: ignore[no-untyped-def]
    lemmas = analyser.lemmas("주권형 AI와 한국형 모델, 기업들의 투자")
    assert "주권형" in lemmas and "한국형" in lemmas
    assert "기업" in lemmas and "기업들" not in lemmas


def test_a_latin_word_ending_a_sentence_ends_it_every_time(analyser) -> None:  # type: ignore[no-untyped-def]
    # the second and third "Tennessee." come from the analyser's memory of Latin words
    an = analyser.analyse("", "Chips went to Tennessee. Then Tennessee. More for Tennessee. Done")
    assert an.body.sentences == 4
    assert [t.sent for t in an.body.tokens if t.surface == "Tennessee"] == [0, 1, 2]
