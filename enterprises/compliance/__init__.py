"""Compliance records of the register: credit blacklists, the abnormal-operations list and
administrative penalties, entered by staff or imported from credit-information exports.
The veto criteria of every tier (tiers.criteria, kind "compliance") are evaluated from them."""
