import datetime

import factory

from enterprises.tests.factories import EnterpriseFactory
from tiers.models import Level, Recognition, Tier


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"tier-{n}")
    name = factory.Sequence(lambda n: f"测试层级{n}")
    level = Level.NATIONAL
    validity_years = 3


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    enterprise = factory.SubFactory(EnterpriseFactory)
    tier = factory.SubFactory(TierFactory)
    recognized_on = datetime.date(2024, 6, 1)
    year = 2024
    valid_until = datetime.date(2027, 5, 31)
