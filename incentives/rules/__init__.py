"""Every reward the five policy documents promise, as data, each tied to the article it comes from.

Amounts are in 万元. A "不高于" amount is recorded as the cap with `is_cap=True`;
entitlements are computed at the cap unless a funder's approval records less.
Where a document leaves something open (who pays, whether existing holders
count) the choice made here is written in `notes` and shown on the rules page.

None of the five documents says that an upgrade is rewarded with the
difference to the lower rung ("补差"); 西宁's "再奖励90万元" for a 科技小巨人
among 高新技术企业 is a top-up of its own amount. Every rule therefore pays
the full amount on upgrade.

One module a document: xining (宁政办〔2023〕32号), ordos (鄂尔多斯), bozhou (博州政办发〔2023〕62号),
ningxia (宁夏) and zhongwei (中卫); spec holds the shape they share. RULES is all of them, in that
order. incentives.services.rule_loader writes them to the database.
"""

from incentives.rules.bozhou import BOZHOU, BOZHOU_RULES
from incentives.rules.ningxia import NINGXIA, NINGXIA_RULES
from incentives.rules.ordos import ORDOS, ORDOS_RULES
from incentives.rules.spec import PolicyKey, RuleSpec
from incentives.rules.xining import XINING, XINING_RULES
from incentives.rules.zhongwei import ZHONGWEI, ZHONGWEI_RULES

RULES: tuple[RuleSpec, ...] = (*XINING_RULES, *ORDOS_RULES, *BOZHOU_RULES, *NINGXIA_RULES, *ZHONGWEI_RULES)


__all__ = [
    "BOZHOU",
    "BOZHOU_RULES",
    "NINGXIA",
    "NINGXIA_RULES",
    "ORDOS",
    "ORDOS_RULES",
    "RULES",
    "XINING",
    "XINING_RULES",
    "ZHONGWEI",
    "ZHONGWEI_RULES",
    "PolicyKey",
    "RuleSpec",
]
