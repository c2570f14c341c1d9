"""Matching the 所在地区 text of a roster to a Region in the importer's scope."""

from portal.models import Region, User

SUFFIXES = ("自治县", "自治旗", "新区", "区", "县", "市", "旗", "州")


def short_forms(name: str) -> set[str]:
    forms = {name}
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.add(name[: -len(suffix)])
            break
    return forms


class RegionResolver:
    """Resolves region texts with one query for the whole file and a cache per distinct text."""

    def __init__(self, user: User) -> None:
        self.scope = user.scope_path
        self.regions = {region.pk: region for region in Region.objects.only("id", "name", "short_name", "path")}
        self.by_form: dict[str, set[int]] = {}
        for region in self.regions.values():
            names = {region.name} | ({region.short_name} if region.short_name else set())
            for name in names:
                for form in short_forms(name):
                    self.by_form.setdefault(form, set()).add(region.pk)
        self.cache: dict[str, tuple[int | None, str | None, dict]] = {}

    def _in_scope(self, region: Region) -> bool:
        return self.scope is not None and region.path.startswith(self.scope)

    def _candidates(self, text: str) -> set[int]:
        if text in self.by_form:
            return self.by_form[text]
        # "中卫市沙坡头区": a known name preceded by the name of one of its ancestors.
        found: set[int] = set()
        for form, ids in self.by_form.items():
            if len(form) >= 2 and text.endswith(form) and len(text) > len(form):
                prefix = text[: -len(form)]
                for pk in ids:
                    ancestors = self.regions[pk].path.strip(".").split(".")[:-1]
                    names = {
                        f
                        for part in ancestors
                        if int(part) in self.regions
                        for f in short_forms(self.regions[int(part)].name)
                    }
                    if prefix in names or any(prefix == a + b for a in names for b in names):
                        found.add(pk)
        return found

    def resolve(self, text: str) -> tuple[int | None, str | None, dict]:
        """(region id, None, {}) or (None, error code, params)."""
        text = "".join(text.split())
        if text not in self.cache:
            candidates = [self.regions[pk] for pk in self._candidates(text)]
            visible = [region for region in candidates if self._in_scope(region)]
            if len(visible) == 1:
                result = (visible[0].pk, None, {})
            elif len(visible) > 1:
                names = "、".join(sorted(region.name for region in visible))
                result = (None, "region_ambiguous", {"value": text, "names": names})
            elif candidates:
                result = (None, "region_out_of_scope", {"value": text})
            else:
                result = (None, "region_unknown", {"value": text})
            self.cache[text] = result
        return self.cache[text]

    def name(self, region_id: int | None) -> str | None:
        return self.regions[region_id].name if region_id in self.regions else None
