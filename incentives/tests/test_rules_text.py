"""Every rule quotes its document: the clause is found, word for word, in the policy text."""

import io
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


@pytest.mark.django_db
def test_load_policies_ties_every_rule_to_the_loaded_article():
    """After the real `load_policies`, every rule points at the measure its article number names, and a rerun adds nothing."""
    from django.core.management import call_command

    from incentives.models import RewardFunder, RewardRule

    call_command("load_policies", stdout=io.StringIO())
    assert RewardRule.objects.count() == len(RULES)
    assert not RewardRule.objects.filter(measure__isnull=True).exists()
    assert all(rule.measure.number == rule.article for rule in RewardRule.objects.select_related("measure"))
    assert "五企" in RewardRule.objects.get(code="ordos-srdi").measure.text
    funders = RewardFunder.objects.count()
    call_command("load_policies", stdout=io.StringIO())
    assert (RewardRule.objects.count(), RewardFunder.objects.count()) == (len(RULES), funders)
