from django.db import transaction


@transaction.atomic
def load_regions_and_departments() -> dict[str, int]:
    raise NotImplementedError
