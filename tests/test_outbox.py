"""The outbox's claims, pruning and counts, on SQLite and PostgreSQL: two senders never post the
same part, one that lost its row cannot record, a part in flight is known to be uncertain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import FixedClock
from bot.store import Place, Store, open_store

T0 = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
TTL = timedelta(seconds=45)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, db_url: str) -> Store:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else db_url
    s = open_store(url, clock=FixedClock(T0))
    request.addfinalizer(s.close)
    return s


def _row(store: Store, key: str = "digest:1") -> int:
    dest = store.destination(Place("slack", "T1", "C1"))
    assert dest is not None
    assert store.enqueue(dest.id, "digest", key, {"reply": {}}, T0)
    delivery = store.delivery(dest.id, key)
    assert delivery is not None
    return delivery.id


def test_a_claimed_row_is_left_alone_until_its_claim_runs_out(store: Store) -> None:
    row = _row(store)
    a = store.claim(row, "A", 0, T0, TTL)
    assert a is not None and not a.uncertain and not a.taken_over
    assert store.claim(row, "B", 0, T0 + timedelta(seconds=10), TTL) is None
    assert [d.id for d in store.due_deliveries(T0, "B")] == []
    assert [d.id for d in store.due_deliveries(T0, "A")] == [row]
    # A froze with part 0 in flight; its claim runs out and B takes the row over
    later = T0 + TTL + timedelta(seconds=1)
    b = store.claim(row, "B", 0, later, TTL)
    assert b is not None and b.uncertain and b.taken_over  # part 0 may have arrived: look
    assert not store.mark_part_sent(row, "A", 0, "ts-a")  # A lost it: cannot record, stops
    assert store.mark_part_sent(row, "B", 0, "ts-b")
    assert store.claim(row, "A", 0, later, TTL) is None  # the row moved on past part 0
    assert store.mark_sent(row, "B", later)
    [entry] = store.deliveries()
    assert (entry.status, entry.parts_sent, entry.message_ids) == ("sent", 1, ["ts-b"])


def test_renewal_keeps_a_claim_and_release_lets_it_go(store: Store) -> None:
    row = _row(store)
    assert store.claim(row, "A", 0, T0, TTL) is not None
    assert store.renew_claims("A", T0 + timedelta(seconds=40), TTL) == 1
    assert store.claim(row, "B", 0, T0 + timedelta(seconds=60), TTL) is None  # renewed
    assert store.release_claims("A") == 1
    claim = store.claim(row, "B", 0, T0 + timedelta(seconds=61), TTL)
    assert claim is not None and claim.uncertain  # released, but part 0 was in flight


def test_a_refused_part_is_not_uncertain_and_a_failure_releases(store: Store) -> None:
    row = _row(store)
    assert store.claim(row, "A", 0, T0, TTL) is not None
    again = store.claim(row, "A", 0, T0, TTL, refused=True)  # after a 429 it saw itself
    assert again is not None and not again.uncertain
    assert store.mark_failed(row, "A", "ratelimited", T0 + timedelta(seconds=60)) == 1
    assert store.due_deliveries(T0, "B") == []  # backing off
    claim = store.claim(row, "B", 0, T0 + timedelta(seconds=61), TTL)
    assert claim is not None and not claim.uncertain  # a definite failure: nothing in flight
    assert store.mark_failed(row, "B", "connection broke", T0, uncertain=True) == 2
    claim = store.claim(row, "A", 0, T0 + timedelta(seconds=62), TTL)
    assert claim is not None and claim.uncertain


def test_sent_rows_are_pruned_after_the_retention_and_counted_by_status(store: Store) -> None:
    old, new, pending = _row(store, "a"), _row(store, "b"), _row(store, "c")
    for row, at in ((old, T0), (new, T0 + timedelta(days=29))):
        assert store.claim(row, "A", 0, at, TTL) is not None
        assert store.mark_sent(row, "A", at)
    assert store.outbox_counts() == {"sent": 2, "pending": 1}
    assert store.prune_outbox(T0 + timedelta(hours=1)) == 1
    assert [d.id for d in store.deliveries()] == [new, pending]
    assert store.outbox_counts() == {"sent": 1, "pending": 1}
