import datetime

import factory
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from tiers.applications.models import Application, Batch
from tiers.tests.factories import TierFactory


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    tier = factory.SubFactory(TierFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    name = factory.Sequence(lambda n: f"第{n}批")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft; use the services to move it along the chain."""

    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    batch = factory.SubFactory(BatchFactory)
    tier = factory.SelfAttribute("batch.tier")
    region = factory.SelfAttribute("enterprise.region")
    indicator_year = 2025
    statements = "企业承诺所填信息真实有效。"
