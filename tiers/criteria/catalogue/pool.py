"""The cultivation pool rules and quotas the documents set (博州: which tiers fill automatically, and each county's minimum)."""

# region code, tier code, max missing, source
POOL_RULES = [
    ("652700", "innovative-sme", 3, "博州政办发〔2023〕62号"),
    ("652700", "srdi-sme", 3, "博州政办发〔2023〕62号"),
    ("652700", "little-giant", 3, "博州政办发〔2023〕62号"),
]
# region code, minimum, share of 规上 enterprises (%), source
POOL_QUOTAS = [
    ("652701", 6, 10, "博州政办发〔2023〕62号（博乐市）"),
    ("652702", 4, 10, "博州政办发〔2023〕62号（阿拉山口市）"),
    ("652722", 3, 10, "博州政办发〔2023〕62号（精河县）"),
    ("652723", 2, 10, "博州政办发〔2023〕62号（温泉县）"),
]
