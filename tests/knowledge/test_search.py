"""Search over the current versions: the order a support agent expects, on SQLite and PostgreSQL alike.

The whole suite also runs on PostgreSQL in CI, so every expectation here holds on both engines.
"""

from __future__ import annotations

import pytest

from concord.knowledge import selectors


@pytest.fixture
def corpus(publish, world):
    publish(
        "refund-damaged",
        "Refund a damaged item",
        "# Steps\n\nCheck the photo, then issue the refund to the original payment method.",
    )
    publish(
        "shipping-times",
        "Shipping times",
        "Standard delivery takes five days. Refunds for late delivery follow the refund policy.",
    )
    publish("change-address", "Change a delivery address", "## Before the parcel ships\n\nUpdate the address.")
    publish("promo-codes", "Promo code is invalid", "Check the expiry date of the promotion.")
    publish("b-secret", "Refund rules of program B", "Refund refund refund.", program=world.program_b_only)


def _slugs(user, query, **kw):
    return [h.slug for h in selectors.find(user, query, **kw)]


def test_title_beats_a_passing_mention_and_stems_match(corpus, client_admin):
    # "refunds" stems to "refund": the article titled with it first, the passing mention after
    assert _slugs(client_admin, "refunds", program="SHARED") == ["refund-damaged", "shipping-times"]


def test_headings_weigh_more_than_body(world, publish, client_admin):
    publish("a-body", "Parcel questions", "The parcel ships in a box. Lorem ipsum dolor sit amet " * 3)
    publish("b-heading", "Parcel help", "## Parcel ships late\n\nWait two days.")
    assert _slugs(client_admin, "ships late")[0] == "b-heading"


def test_one_letter_slips_are_forgiven(corpus, client_admin):
    assert _slugs(client_admin, "refnd", program="SHARED")[0] == "refund-damaged"  # a deleted letter
    assert _slugs(client_admin, "adress")[0] == "change-address"  # a missing letter
    assert _slugs(client_admin, "promp code")[0] == "promo-codes"  # a wrong letter
    assert _slugs(client_admin, "zzzzqqq") == []


def test_a_partner_never_finds_a_program_it_does_not_serve(corpus, world, partner_a_lead):
    assert "b-secret" not in _slugs(partner_a_lead, "refund")
    assert "b-secret" in _slugs(world.users["partner_b_lead"], "refund")


def test_only_the_current_version_is_searched(corpus, publish, client_admin):
    publish("promo-codes", "Promo code is invalid", "Ask the customer for the code printed on the voucher.")
    hits = selectors.find(client_admin, "voucher")
    assert [(h.slug, h.version) for h in hits] == [("promo-codes", 2)]
    assert selectors.find(client_admin, "expiry") == []


def test_scores_are_the_hand_computed_bm25f(world, publish, client_admin):
    # 2 articles; "widget" only in the first: title tf 1, body tf 1; bodies "widget guide" (2 words) and
    # "other text here" (3 words): average 2.5. idf = ln(1 + (2-1+0.5)/(1+0.5)) = ln 2 = 0.693147.
    # body norm = 1 - 0.75 + 0.75 * 2/2.5 = 0.85; weighted = 3*1 + 1/0.85 = 4.176471
    # score = 0.693147 * 4.176471 / (1.2 + 4.176471) = 0.693147 * 0.776805 = 0.538440
    publish("w", "Widget", "widget guide")
    publish("o", "Other", "other text here")
    [hit] = selectors.find(client_admin, "widget")
    assert hit.score == pytest.approx(0.538440, abs=1e-5)


def test_the_database_scores_like_the_python_definition(world, publish, client_admin):
    """The ranking runs in SQL for speed; ``rank.score`` is its definition: the two agree on every hit."""
    import random

    from concord.knowledge.models import ArticleVersion
    from concord.knowledge.search import engine, rank

    rng = random.Random(3)
    words = ["refund", "parcel", "courier", "invoice", "voucher", "address", "damaged", "warranty", "screen"]
    for n in range(25):
        body = "## " + " ".join(rng.choices(words, k=2)) + "\n\n" + " ".join(rng.choices(words, k=rng.randint(3, 40)))
        publish(f"doc-{n}", " ".join(rng.choices(words, k=3)), body)
    vocabulary = engine._vocabulary.current()
    for query in ("refund parcel", "warranty", "courier invoice damaged", "screan"):
        terms = engine._query_terms(query, vocabulary)
        idfs = {t.stem: rank.idf(vocabulary.documents, vocabulary.frequencies.get(t.stem, 0)) for t in terms}
        for hit in engine.search(query, limit=50):
            v = ArticleVersion.objects.get(pk=hit.version_id)
            expected = rank.score(
                v.terms, v.length, terms, idfs=idfs, average_body_length=vocabulary.average_body_length
            )
            assert hit.score == pytest.approx(expected, abs=2e-6), (query, hit.slug)


def test_a_publish_in_another_process_reaches_this_process_s_cached_postings(world, publish, client_admin, monkeypatch):
    """Postings are held in memory per process; a publish elsewhere must still show in the next search."""
    from concord.knowledge.search import engine

    publish("promo-codes", "Promo code is invalid", "Check the expiry date of the promotion.")
    publish("gift-cards", "Gift cards", "A voucher is not a gift card.")
    assert [h.slug for h in selectors.find(client_admin, "voucher")] == ["gift-cards"]  # "voucher" now held
    # another process publishes: this process's cache is not told, only the database changes
    monkeypatch.setattr(engine._vocabulary, "forget", lambda: None)
    publish("promo-codes", "Promo code is invalid", "Ask the customer for the voucher code.")
    publish("gift-cards", "Gift cards", "Gift cards are sold in stores.")
    assert [(h.slug, h.version) for h in selectors.find(client_admin, "voucher")] == [("promo-codes", 2)]
    assert selectors.find(client_admin, "expiry") == []


def test_postings_beyond_the_memory_budget_are_read_again(world, publish, client_admin, monkeypatch):
    """The least recently used stems leave memory first; a stem read again scores as before."""
    from concord.knowledge.search import engine, postings

    publish("w", "Widget", "widget guide")
    publish("o", "Other", "other text here")
    monkeypatch.setattr(postings, "POSTINGS_BUDGET", 1)  # one posting held at a time
    for _ in range(2):
        for query in ("widget", "guide", "other", "widget"):
            [hit] = selectors.find(client_admin, query)
            assert hit.slug == ("o" if query == "other" else "w")
            assert engine._vocabulary._held <= 1
    [hit] = selectors.find(client_admin, "widget")
    assert hit.score == pytest.approx(0.538440, abs=1e-5)  # the hand computation of the BM25F test above
