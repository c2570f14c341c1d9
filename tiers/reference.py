"""The tiers and ladders the five policy documents use, as reference data.

Codes are stable identifiers that other apps, imports and tests rely on.
"""

from django.db import transaction

from portal.models import Region
from tiers.applications.services.responsibilities import load_responsibilities
from tiers.criteria import catalogue
from tiers.models import CriteriaSet, Criterion, Ladder, LadderRung, Level, PoolQuota, PoolRule, Tier

# code, name, level, issuing region code (None = national), validity years, manual?
TIERS: list[tuple[str, str, str, str | None, int | None, bool]] = [
    ("tech-sme", "科技型中小企业", Level.NATIONAL, None, 1, False),
    ("high-tech", "高新技术企业", Level.NATIONAL, None, 3, False),
    ("nx-innovation-demo", "自治区创新型示范企业", Level.PROVINCIAL, "640000", 3, True),
    ("nx-tech-leader", "自治区科技领军企业", Level.PROVINCIAL, "640000", 3, True),
    ("innovative-sme", "创新型中小企业", Level.PROVINCIAL, None, 3, False),
    ("srdi-sme", "专精特新中小企业", Level.PROVINCIAL, None, 3, False),
    ("little-giant", "专精特新“小巨人”企业", Level.NATIONAL, None, 3, False),
    ("single-champion", "制造业单项冠军企业", Level.NATIONAL, None, 3, False),
    ("nx-fledgling", "自治区雏鹰企业", Level.PROVINCIAL, "640000", 3, False),
    ("nx-gazelle", "自治区瞪羚企业", Level.PROVINCIAL, "640000", 3, False),
    ("nx-unicorn", "自治区独角兽企业", Level.PROVINCIAL, "640000", 3, True),
    ("nx-industry-leader", "自治区行业领先示范企业", Level.PROVINCIAL, "640000", 3, True),
    ("nx-chain-leader", "自治区“链主”企业", Level.PROVINCIAL, "640000", 3, True),
    ("above-scale", "规模以上工业企业", Level.CITY, None, None, False),
    ("xn-backbone", "骨干企业", Level.CITY, "630100", None, True),
    ("qh-tech-enterprise", "省级科技型企业", Level.PROVINCIAL, "630000", 3, True),
    ("xn-city-tech-enterprise", "市级科技型企业", Level.CITY, "630100", 3, True),
    ("qh-tech-giant", "科技小巨人企业", Level.PROVINCIAL, "630000", 3, True),
    ("eeds-city-innovative-sme", "市级创新型中小企业", Level.CITY, "150600", 3, True),
    ("eeds-city-srdi", "市级“专精特新”中小企业", Level.CITY, "150600", 3, True),
]

# code, name, jurisdiction region code (None = everywhere), tier codes bottom to top
LADDERS: list[tuple[str, str, str | None, list[str]]] = [
    ("nx-tech", "科技型企业梯次培育体系", "640000", ["tech-sme", "high-tech", "nx-innovation-demo", "nx-tech-leader"]),
    ("nx-high-growth", "高成长创新型企业梯次培育体系", "640000", ["nx-fledgling", "nx-gazelle", "nx-unicorn"]),
    (
        "quality-sme",
        "优质中小企业梯度培育体系",
        None,
        ["innovative-sme", "srdi-sme", "little-giant", "single-champion"],
    ),
    (
        "nx-new-industrial",
        "新型工业化示范型企业梯次培育体系",
        "640000",
        ["srdi-sme", "nx-industry-leader", "little-giant", "single-champion"],
    ),
    ("nx-chain", "“链主”企业培育", "640000", ["nx-chain-leader"]),
    ("xn-tech", "科技型中小企业—高新技术企业—科技小巨人", "630100", ["tech-sme", "high-tech", "qh-tech-giant"]),
    ("xn-scale", "规上工业企业—骨干企业", "630100", ["above-scale", "xn-backbone"]),
    (
        "eeds-five",
        "鄂尔多斯“五企”培育工程",
        "150600",
        ["eeds-city-innovative-sme", "eeds-city-srdi", "srdi-sme", "little-giant", "single-champion"],
    ),
    ("bz-quality-sme", "博州专精特新优质中小企业梯度培育", "652700", ["innovative-sme", "srdi-sme", "little-giant"]),
]


@transaction.atomic
def load_tiers_and_ladders() -> dict[str, int]:
    """Create or update every tier and ladder above; running it twice changes nothing."""
    regions = {region.code: region for region in Region.objects.all()}
    for code, name, level, region_code, validity, is_manual in TIERS:
        Tier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "issuing_region": regions.get(region_code) if region_code else None,
                "validity_years": validity,
                "is_manual": is_manual,
            },
        )
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    for code, name, region_code, tier_codes in LADDERS:
        ladder, _created = Ladder.objects.update_or_create(
            code=code, defaults={"name": name, "region": regions.get(region_code) if region_code else None}
        )
        wanted = [(position, tiers[tier_code]) for position, tier_code in enumerate(tier_codes, start=1)]
        current = list(ladder.rungs.order_by("position").values_list("position", "tier_id"))
        if current != [(position, tier.pk) for position, tier in wanted]:
            ladder.rungs.all().delete()
            LadderRung.objects.bulk_create(
                [LadderRung(ladder=ladder, tier=tier, position=position) for position, tier in wanted]
            )
    counts = load_criteria_sets()
    return {"tiers": len(TIERS), "ladders": len(LADDERS), **counts, "responsibilities": load_responsibilities()}


def _criterion_rows(nodes: list[dict]) -> list[dict]:
    rows = []
    for order, node in enumerate(nodes, start=1):
        params = {k: v for k, v in node.items() if k not in ("kind", "code", "label", "status", "source")}
        rows.append(
            {
                "order": order,
                "code": node["code"],
                "kind": node["kind"],
                "label": node["label"],
                "params": params,
                "status": node.get("status", Criterion.Status.CONFIRMED),
                "source": node.get("source", ""),
            }
        )
    return rows


@transaction.atomic
def load_criteria_sets() -> dict[str, int]:
    """The official criteria sets of tiers.criteria.catalogue, plus 博州's pool rules and quotas.

    A set whose criteria differ from the catalogue gets them replaced; staff
    assessments survive because they are keyed by fact, not by criterion row.
    """
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    for code, tier_code, name, purpose, effective_from, source, note, nodes in catalogue.CRITERIA_SETS:
        criteria_set, _created = CriteriaSet.objects.update_or_create(
            code=code,
            defaults={
                "tier": tiers[tier_code],
                "name": name,
                "purpose": purpose,
                "effective_from": effective_from,
                "source": source,
                "note": note,
            },
        )
        wanted = _criterion_rows(nodes)
        current = list(
            criteria_set.criteria.order_by("order").values(
                "order", "code", "kind", "label", "params", "status", "source"
            )
        )
        if current != wanted:
            criteria_set.criteria.all().delete()
            Criterion.objects.bulk_create([Criterion(criteria_set=criteria_set, **row) for row in wanted])
    regions = {region.code: region for region in Region.objects.all()}
    for region_code, tier_code, max_missing, source in catalogue.POOL_RULES:
        if region_code in regions:
            PoolRule.objects.update_or_create(
                region=regions[region_code],
                tier=tiers[tier_code],
                defaults={"max_missing": max_missing, "source": source},
            )
    for region_code, minimum, share, source in catalogue.POOL_QUOTAS:
        if region_code in regions:
            PoolQuota.objects.update_or_create(
                region=regions[region_code],
                tier=None,
                year=None,
                defaults={"minimum": minimum, "above_scale_share": share, "source": source},
            )
    return {"criteria_sets": len(catalogue.CRITERIA_SETS)}
