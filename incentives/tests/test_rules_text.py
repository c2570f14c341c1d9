"""Every rule quotes its document: the clause is found, word for word, in the policy text."""

import re

import pytest

from incentives.rules import RULES
from tasks.policies.documents import read_document


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.code)
def test_clause_is_quoted_from_the_document(spec):
    document = squeeze(read_document(spec.policy.filename))
    for fragment in squeeze(spec.clause).split("……"):
        assert fragment in document, fragment


@pytest.mark.parametrize("spec", [spec for spec in RULES if spec.is_monetary], ids=lambda spec: spec.code)
def test_every_amount_stands_in_the_clause(spec):
    """The amount, percentage or cap recorded is the one the clause states."""
    clause = squeeze(spec.clause)
    for number in filter(None, (spec.amount, spec.percentage, spec.max_amount)):
        assert re.search(rf"(?<!\d){number}(万元|%)", clause), (spec.code, number)


def test_funder_shares_add_up_to_one_hundred():
    for spec in RULES:
        if spec.is_monetary:
            assert sum(int(percent) for _level, percent in spec.funders) == 100, spec.code
        else:
            assert spec.funders == (), spec.code
