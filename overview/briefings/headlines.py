"""The first page of a 工作简报: headline sentences written from the frozen figures.

Every sentence is built from the dashboard's sections (the same definitions and
words as the cards: 合计/新增, 达标/未达标, 名录不全, 数据范围不全), and from the
previous briefing of the same region for what changed since. Nothing is
computed here that the dashboard does not show.
"""

from django.utils.translation import gettext as _

from overview.dashboard.selectors import section_of

FINAL_MISSED = ("not_achieved",)
PROGRESS = ("achieved", "on_track", "at_risk", "behind", "not_achieved")
NAMED_LIMIT = 4
CAVEATS = ("scope_incomplete", "unconfirmed")


TASK_TITLE_LIMIT = 24


def _short(text: str) -> str:
    return text if len(text) <= TASK_TITLE_LIMIT else text[: TASK_TITLE_LIMIT - 1] + "…"


def _n(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _name(card: dict) -> str:
    own = "" if card.get("is_own_region", True) else f"{card['region']}"
    return f"{own}{card.get('title') or card['label']}（{card.get('basis_text') or card.get('basis_label', '')}）"


def _unit(lead: str) -> str:
    """The lead unit inside parentheses: "甲（推定）" becomes "甲，推定", never nested brackets."""
    return lead.replace("（", "，").replace("）", "")


def _listing(cards: list[dict], words) -> str:
    named = "；".join(words(card) for card in cards[:NAMED_LIMIT])
    if len(cards) > NAMED_LIMIT:
        named += _("; and %(count)s more") % {"count": len(cards) - NAMED_LIMIT}
    return named


def _year_sentences(cards: list[dict], year: int, is_final: bool) -> list[str]:
    mine = [card for card in cards if card.get("year") == year]
    if not mine:
        return []
    counted = [card for card in mine if card["status"] in PROGRESS]
    sentences = []
    if is_final:
        met = [card for card in counted if card["status"] == "achieved"]
        missed = [card for card in counted if card["status"] in FINAL_MISSED]
        sentences.append(
            _("%(year)s targets (final at 31 December): %(met)s of %(total)s met.")
            % {"year": year, "met": len(met), "total": len(counted)}
        )
        if missed:
            sentences.append(
                _("Missed: %(list)s.")
                % {
                    "list": _listing(
                        missed, lambda card: f"{_name(card)} {_n(card['current'])}/{_n(card['target'])}{card['unit']}"
                    )
                }
            )
        return sentences
    by_status = {status: [card for card in counted if card["status"] == status] for status in PROGRESS}
    sentences.append(
        _(
            "%(year)s targets (in progress): %(achieved)s achieved, %(on_track)s on track, %(at_risk)s at risk, %(behind)s behind."
        )
        % {"year": year, **{status: len(items) for status, items in by_status.items()}}
    )
    behind = by_status["behind"] + by_status["at_risk"]
    if behind:

        def words(card: dict) -> str:
            text = f"{_name(card)} {_n(card['current'])}/{_n(card['target'])}{card['unit']}"
            path = card.get("path")
            if path:
                text += _(", %(needed)s more needed, %(candidates)s candidates, expected %(expected)s") % {
                    "needed": path["needed"],
                    "candidates": path["candidates"],
                    "expected": _n(path["expected"]),
                }
            return text

        sentences.append(_("Behind or at risk: %(list)s.") % {"list": _listing(behind, words)})
    return sentences


def _caveat_sentences(cards: list[dict]) -> list[str]:
    sentences = []
    incomplete = [card for card in cards if card.get("is_register_incomplete")]
    if incomplete:
        sentences.append(
            _("Register incomplete for %(list)s: the status reads the document's baseline, not the register.")
            % {"list": "、".join(dict.fromkeys(card.get("title") or card["label"] for card in incomplete))}
        )
    scope = [card for card in cards if card["status"] == "scope_incomplete"]
    if scope:
        sentences.append(
            _(
                "Data scope incomplete for %(count)s targets (%(list)s): no figure is given until the register covers %(regions)s."
            )
            % {
                "count": len(scope),
                "list": "、".join(_name(card) for card in scope[:NAMED_LIMIT]),
                "regions": "、".join(
                    dict.fromkeys(region for card in scope for region in card.get("scope_missing", [])[:3])
                ),
            }
        )
    unconfirmed = [card for card in cards if card["status"] == "unconfirmed"]
    if unconfirmed:
        sentences.append(
            _("%(count)s targets are to be confirmed: the document states figures that contradict each other.")
            % {"count": len(unconfirmed)}
        )
    return sentences


def _change_sentences(cards: list[dict], previous: dict | None) -> list[str]:
    if not previous:
        return [_("This is the first briefing of the region: no earlier figures to compare with.")]
    before_section = section_of(previous, "targets") or {"cards": []}
    before = {card.get("key"): card for card in before_section.get("cards", []) if card.get("key")}
    changed = []
    for card in cards:
        old = before.get(card.get("key"))
        if old is None or old.get("current") == card.get("current"):
            continue
        text = f"{_name(card)} {_n(old.get('current'))} → {_n(card.get('current'))}"
        if old.get("status") != card["status"]:
            text += f"（{old.get('status_label')} → {card['status_label']}）"
        changed.append(text)
    if not changed:
        return [_("Since the briefing as of %(date)s no target figure changed.") % {"date": previous.get("as_of", "")}]
    listed = "；".join(changed[:6]) + (
        _("; and %(count)s more") % {"count": len(changed) - 6} if len(changed) > 6 else ""
    )
    return [_("Since the briefing as of %(date)s: %(list)s.") % {"date": previous.get("as_of", ""), "list": listed}]


def _regions_sentence(figures: dict) -> list[str]:
    regions = section_of(figures, "regions")
    if not regions or len(regions["rows"]) < 2:
        return []
    ranked = sorted(regions["rows"], key=lambda row: row[2] or 0, reverse=True)
    ahead, behind = ranked[0], ranked[-1]
    return [
        _(
            "Among the regions below, %(ahead)s has the most enterprises holding a recognition (%(most)s) and %(behind)s the fewest (%(fewest)s)."
        )
        % {"ahead": ahead[0], "most": ahead[2], "behind": behind[0], "fewest": behind[2]}
    ]


def _stuck_sentence(figures: dict) -> list[str]:
    stuck = section_of(figures, "stuck")
    if not stuck or not stuck["rows"]:
        return [_("No application is waiting for review.")]
    rows = stuck["rows"][:3]
    listed = "；".join(
        _("%(enterprise)s, %(tier)s, %(days)s days at %(step)s")
        % {"enterprise": row[0], "tier": row[1], "days": row[5], "step": row[3]}
        for row in rows
    )
    return [_("Applications waiting longest: %(list)s.") % {"list": listed}]


def _task_sentence(figures: dict) -> list[str]:
    attention = section_of(figures, "task_attention")
    status = section_of(figures, "task_status")
    if not attention or not status:
        return []
    overdue_label = status["rows"][0][0] if status["rows"] else ""
    overdue = [row for row in attention["rows"] if row[5] == overdue_label]
    if not overdue:
        return [_("No task report is overdue.")]
    listed = "；".join(f"{_short(row[1])}（{_unit(row[2])}）" for row in overdue[:3])
    return [_("%(count)s task reports are overdue: %(list)s.") % {"count": len(overdue), "list": listed}]


def _money_sentence(figures: dict) -> list[str]:
    money = section_of(figures, "money")
    if not money or not money["rows"]:
        return [_("No reward is owed yet.")]
    owed = sum(row[1] for row in money["rows"])
    paid = sum(row[2] for row in money["rows"])
    return [
        _("Rewards: %(owed)s 10k yuan owed, %(paid)s paid, %(left)s outstanding.")
        % {"owed": f"{owed:.2f}", "paid": f"{paid:.2f}", "left": f"{owed - paid:.2f}"}
    ]


def headline_sentences(figures: dict, *, previous: dict | None = None) -> list[str]:
    """The briefing's first page, in reading order: targets, caveats, changes, regions, applications, tasks, money."""
    targets = section_of(figures, "targets") or {"cards": []}
    cards = targets.get("cards", [])
    as_of_year = int(figures["as_of"][:4])
    years = sorted({card["year"] for card in cards if card.get("year")})
    sentences: list[str] = []
    for year in years:
        sentences += _year_sentences(cards, year, is_final=year < as_of_year)
    sentences += _caveat_sentences(cards)
    sentences += _change_sentences(cards, previous)
    sentences += _regions_sentence(figures)
    sentences += _stuck_sentence(figures)
    sentences += _task_sentence(figures)
    sentences += _money_sentence(figures)
    return [str(sentence) for sentence in sentences]
