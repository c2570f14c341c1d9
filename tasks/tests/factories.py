import datetime

import factory

from portal.tests.factories import RegionFactory
from tasks.models import Policy, Target


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    code = factory.Sequence(lambda n: f"policy-{n}")
    title = factory.Sequence(lambda n: f"测试政策{n}")
    issuer = "测试市人民政府"
    region = factory.SubFactory(RegionFactory)
    plan_start = datetime.date(2023, 1, 1)
    plan_end = datetime.date(2027, 12, 31)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"target-{n}")
    policy = factory.SubFactory(PolicyFactory)
    region = factory.SelfAttribute("policy.region")
    label = "高新技术企业"
    kind = Target.Kind.TOTAL
    year = 2027
    value = 5
    quote = "到 2027 年，总数达到 5 家"

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        if create and extracted:
            self.tiers.set(extracted)
