"""What changes between two criteria sets of a tier: the register evaluated under both, column-wise."""
