"""Users and what they may do: the permission summary and “view as”. A top layer: it reads every app's predicates."""
