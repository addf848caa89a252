"""``newsbot ingest``: dedup on re-ingest, Korean encodings, bad files skipped by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SEEDS, run_cli


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_reingest_adds_nothing(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["ingest", str(SEEDS), "--db", db_url], capsys)
    assert code == 0 and out.startswith("5 new articles")
    code, out, _ = run_cli(["ingest", str(SEEDS), "--db", db_url], capsys)
    assert code == 0 and out.startswith("0 new articles")


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_cp949_binary_and_good_files(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    korean = "엔비디아, 한국에 GPU 26만 장 공급 합의\n\n엔비디아가 한국 정부와 기업에 그래픽처리장치 26만 장을 공급하기로 했다."
    (folder / "a_cp949.txt").write_bytes(korean.encode("cp949"))
    (folder / "b_binary.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    )
    (folder / "c_good.md").write_text(
        "# APEC 정상회의 개막\n\n경주에서 APEC 정상회의가 열렸다.", encoding="utf-8"
    )
    code, out, err = run_cli(["ingest", str(folder), "--db", db_url], capsys)
    assert code == 0
    assert "b_binary.txt" in err and "warning" in err
    assert out.startswith("2 new articles")
    code, out, _ = run_cli(["search", "그래픽처리장치", "--db", db_url, "--format", "json"], capsys)
    import json

    found = json.loads(out)
    assert found["total"] == 1
    assert found["items"][0]["title"] == "엔비디아, 한국에 GPU 26만 장 공급 합의"
    assert "\ufffd" not in found["items"][0]["snippet"]


def test_missing_path_fails_with_its_name(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["ingest", "no/such/folder", "--db", db_url], capsys)
    assert code != 0
    assert "no/such/folder" in err and "Traceback" not in err


def test_html_file_uses_its_headline(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>사이트 이름</title></head><body><nav>검색 메뉴</nav>"
        "<h1>과기정통부, 독자 AI 파운데이션 모델 5개 팀 선정</h1>"
        "<p>과학기술정보통신부가 독자 AI 파운데이션 모델 개발 사업의 정예팀을 발표했다.</p>"
        "<script>var x = '<p>';</script><footer>Copyright ⓒ 뉴스 무단 전재 및 재배포 금지</footer>"
        "</body></html>",
        encoding="utf-8",
    )
    code, _, _ = run_cli(["ingest", str(page), "--db", db_url], capsys)
    assert code == 0
    code, out, _ = run_cli(["why", "1", "--format", "json", "--db", db_url], capsys)
    import json

    item = json.loads(out)
    assert item["title"] == "과기정통부, 독자 AI 파운데이션 모델 5개 팀 선정"
    assert item["origin"] == str(page)
    assert "검색 메뉴" not in item["body"] and "var x" not in item["body"]
    assert "Copyright" not in item["body"]


def test_same_text_with_other_spacing_is_stored_once(db_url: str) -> None:
    from bot.store import open_store
    from bot.store.drafts import Draft

    body = "엔비디아가 한국에 GPU 26만 장을 공급한다.\n정부는 5만 장을 확보한다."
    respaced = (
        "  엔비디아가\u00a0한국에 GPU 26만\u3000장을 공급한다.\r\n\t정부는 5만 장을  확보한다. "
    )
    store = open_store(db_url)
    first = store.add_drafts([Draft(title="t", body=body, origin="a.txt")])
    again = store.add_drafts(
        [
            Draft(title="t", body=respaced, origin="b.txt"),
            Draft(title="t", body=body.replace("5만", "6만"), origin="c.txt"),
        ]
    )
    store.close()
    assert len(first) == 1
    assert len(again) == 1  # only the text that differs in more than spacing is new
