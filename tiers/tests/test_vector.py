"""The column-wise evaluation (vector.py) gives what the per-enterprise evaluation (nodes.py) gives.

Every official criteria set of the catalogue is applied both ways to random
batches of enterprises — figures missing, zero, negative or sitting on a band
edge, staff judgements given or not, tiers held or not, compliance records
inside and outside each window, regions with compliance data or without — and the verdict, score
and the three counts must be equal, enterprise by enterprise. No database: this
runs thousands of enterprises in a few seconds.
"""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import examples
from tiers.criteria import Assessment, Context, EnterpriseFacts
from tiers.criteria.catalogue import CRITERIA_SETS
from tiers.criteria.facts import INDICATOR_FIELDS, ComplianceFact
from tiers.criteria.nodes import compile_set
from tiers.criteria.vector import VERDICT_ORDER, compile_vector_set
from tiers.criteria.vector_metrics import Batch

ON = datetime.date(2026, 6, 1)
CONTEXT = Context(on=ON, region_paths={"640000": "0001.", "652700": "0002."}, tier_names={})


def _walk(node: dict):
    yield node
    for key in ("routes", "nodes", "items", "additive", "rules"):
        for child in node.get(key, ()):
            yield from _walk(child)
            for inner in ("when", "node"):
                if inner in child:
                    yield from _walk(child[inner])
    for band in node.get("bands", ()):
        if "node" in band:
            yield from _walk(band["node"])


def _catalogue_values():
    """Every key of a staff judgement and every tier code the catalogue's criteria read."""
    keys, tiers, edges = set(), set(), {0.0, 1.0, 3.0, 5.0}
    for *_head, nodes in CRITERIA_SETS:
        for top in nodes:
            for node in _walk(top):
                keys.update(node[name] for name in ("key", "expert") if name in node)
                keys.update(node["metric"]["key"] for _ in [0] if node.get("metric", {}).get("fn") == "fact")
                tiers.update(node.get("tiers", ()))
                for name in ("value", "min", "max", "min_total"):
                    if isinstance(node.get(name), int | float):
                        edges.add(float(node[name]))
    return sorted(keys), sorted(tiers), sorted(edges)


KEYS, TIERS, EDGES = _catalogue_values()

# Figures: often exactly on a threshold the documents name, else anything from negative to large.
number = st.one_of(
    st.none(),
    st.just(0.0),
    st.sampled_from(EDGES),
    st.decimals(min_value=-50, max_value=80000, places=2).map(float),
    st.integers(min_value=0, max_value=1500).map(float),
)
year_row = st.fixed_dictionaries({name: number for name in INDICATOR_FIELDS})
assessment = st.builds(
    Assessment,
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.sampled_from([0.0, 2.0, 5.0, 8.0, 30.0]), st.floats(0, 40).map(lambda v: round(v, 1))),
    st.one_of(st.none(), st.sampled_from([datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)])),
)
# Compliance records on and around the edges of the one- and three-year windows.
record_date = st.one_of(
    st.sampled_from([datetime.date(2023, 6, 1), datetime.date(2025, 1, 1), datetime.date(2025, 6, 1), ON]),
    st.dates(datetime.date(2022, 1, 1), datetime.date(2026, 12, 31)),
)
compliance_fact = st.builds(
    ComplianceFact,
    kind=st.sampled_from(["serious_dishonest", "judgment_defaulter", "abnormal_operation", "penalty"]),
    category=st.sampled_from(["", "safety", "quality", "environment", "tax", "cyber_data"]),
    is_major=st.booleans(),
    listed_on=record_date,
    removed_on=st.one_of(st.none(), record_date),
)
enterprise = st.builds(
    EnterpriseFacts,
    enterprise_id=st.integers(1, 10**6),
    registered_on=st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2026, 6, 1))),
    industry_code=st.sampled_from(["C3911", "C1610", "B0610", "D4411", "F5110", "I6510", "M7320", ""]),
    size_class=st.sampled_from(["", "micro", "small", "medium", "large"]),
    region_path=st.sampled_from(["0001.0005.", "0002.0001.", "0003."]),
    indicators=st.dictionaries(st.integers(ON.year - 5, ON.year), year_row, max_size=6),
    recognitions=st.lists(
        st.tuples(
            st.sampled_from(TIERS or ["high-tech"]),
            st.sampled_from([datetime.date(2024, 1, 1), datetime.date(2027, 1, 1)]),
            st.sampled_from([None, datetime.date(2025, 12, 31), datetime.date(2028, 12, 31)]),
        ),
        max_size=2,
    ),
    assessments=st.dictionaries(st.sampled_from(KEYS), assessment, max_size=len(KEYS)),
    compliance=st.lists(compliance_fact, max_size=2),
    compliance_covered=st.booleans(),
)


@pytest.mark.parametrize("code,nodes", [(entry[0], entry[-1]) for entry in CRITERIA_SETS])
@settings(max_examples=examples(50), deadline=None)
@given(batch=st.lists(enterprise, min_size=1, max_size=25))
def test_column_wise_evaluation_equals_the_per_enterprise_evaluation(code, nodes, batch):
    scalar, vector = compile_set(list(nodes)), compile_vector_set(list(nodes))
    columns = vector(Batch(batch, CONTEXT))
    for index, facts in enumerate(batch):
        expected = scalar(facts, CONTEXT, {})
        score = columns.score[index]
        got = (
            VERDICT_ORDER[columns.verdict[index]],
            None if score != score else float(score),
            int(columns.missing_count[index]),
            int(columns.unknown_count[index]),
            int(columns.manual_count[index]),
        )
        assert got == (
            expected.verdict,
            expected.score,
            expected.missing_count,
            expected.unknown_count,
            expected.manual_count,
        ), (code, facts)


def test_a_batch_shares_each_figure_column_between_criteria():
    """The R&D ratio read by several criteria is computed once per batch, as the scalar memo does per enterprise."""
    nodes = next(entry[-1] for entry in CRITERIA_SETS if entry[0] == "high-tech-2016")
    facts = [EnterpriseFacts(enterprise_id=i, indicators={2025: {"operating_revenue": 100.0}}) for i in range(3)]
    batch = Batch(facts, CONTEXT)
    compile_vector_set(list(nodes))(batch)
    assert batch.metrics, "metric values are kept for the batch"
    assert all(len(values.value) == 3 for values in batch.metrics.values())
