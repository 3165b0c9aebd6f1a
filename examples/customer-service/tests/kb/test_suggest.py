"""Tests of the knowledge-base suggestions (run with: python3 -m pytest tests/kb).

verifies REQ-0019
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "kb"))

from suggest import Article, Index, insert_link  # noqa: E402

ARTICLES = [
    Article(1, "Reset your online banking password", "Use the forgot password link on the login page.", "https://help.example/1"),
    Article(2, "Report a lost or stolen card", "Block your card in the app, then order a new card.", "https://help.example/2"),
    Article(3, "Change your card PIN", "You can change the PIN of your card at any ATM.", "https://help.example/3"),
    Article(4, "Card delivery times", "A new card arrives within 5 working days.", "https://help.example/4"),
    Article(5, "如何修改登录密码", "在登录页面点击忘记密码。", "https://help.example/5"),
    Article(6, "Draft: new card designs", "Not published yet.", "https://help.example/6", published=False),
]


def test_REQ_0019_at_most_three_relevant_published_articles():
    hits = Index(ARTICLES).suggest("The customer lost their card and wants a new card")
    assert 1 <= len(hits) <= 3
    assert hits[0].id == 2
    assert all(a.published for a in hits)


def test_REQ_0019_chinese_draft():
    hits = Index(ARTICLES).suggest("客户忘记了登录密码")
    assert hits and hits[0].id == 5


def test_REQ_0019_suggestions_within_300_ms():
    index = Index(ARTICLES * 500)
    started = time.perf_counter()
    index.suggest("customer cannot log in, forgot password")
    assert time.perf_counter() - started < 0.3


def test_REQ_0019_insert_link():
    reply = insert_link("You can find the steps here:", ARTICLES[0])
    assert reply.endswith("[Reset your online banking password](https://help.example/1)")
