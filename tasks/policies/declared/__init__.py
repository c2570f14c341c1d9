"""The targets of 西宁, 宁夏, 鄂尔多斯 and 博州, declared with the sentence each comes from.

These documents state their goals in prose too varied to parse safely; the
loader refuses a target whose quote is not in the document (see targets.targets_for).

One module a document (xining, ningxia, ordos, bozhou); DECLARED maps each policy code to its targets.
"""

from tasks.policies.declared.bozhou import BOZHOU
from tasks.policies.declared.ningxia import NINGXIA
from tasks.policies.declared.ordos import ORDOS
from tasks.policies.declared.xining import XINING

DECLARED = {"xining-2023-32": XINING, "ningxia-srdi-2024": NINGXIA, "ordos-srdi-2022": ORDOS, "bozhou-2023-62": BOZHOU}


__all__ = ["BOZHOU", "DECLARED", "NINGXIA", "ORDOS", "XINING"]
