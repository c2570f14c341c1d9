"""The titles an enterprise holds, as the register reads and records them.

A title is a recognition of a tier, kept by the tiers app, which stands above this one.
The register still shows each enterprise's titles, filters by them, records one by hand
and takes them from rosters; for that it reads them through the provider tiers installs
when the apps start (`TiersConfig.ready` calls `provide`), so that the register never
imports tiers. `tiers/holdings.py` is that provider.
"""

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from portal.models import User


class HoldingsProvider(Protocol):
    """What the register asks of the app that keeps titles."""

    label: str  # the title model's label, as audit events name it

    def tiers(self) -> QuerySet[Any]:
        """Every tier, lowest level first: filters, forms and roster titles choose from these."""

    def valid(self) -> QuerySet[Any]:
        """Titles in force, each with its tier, by tier name."""

    def history(self) -> QuerySet[Any]:
        """Every title ever held, each with its tier, newest first."""

    def held(self, *, enterprise_ids: Iterable[int], tier_ids: Iterable[int]) -> set[tuple[int, int, datetime.date]]:
        """(enterprise, tier, recognised on) of the titles on record among these."""

    def grant(self, *, actor: User, enterprise: Model, **fields: Any) -> tuple[Any, bool]:
        """One title recorded by hand: (the title, whether it is new); refusals raise ServiceError."""

    def grant_rows(self, rows: list[dict[str, Any]], *, actor: User | None) -> list[int]:
        """Many titles from a roster, set-based and audited like `grant`; the new titles' ids."""

    def granted(self, *, recognition_ids: list[int]) -> None:
        """After commit: what follows new titles (eligibility, rewards, figures)."""


_provider: HoldingsProvider | None = None


def provide(provider: HoldingsProvider) -> None:
    global _provider
    _provider = provider


def holdings() -> HoldingsProvider:
    if _provider is None:
        raise ImproperlyConfigured("The register reads titles through the tiers app, which is not installed.")
    return _provider
