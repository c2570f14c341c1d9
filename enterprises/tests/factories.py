import datetime

import factory

from enterprises.credit_codes import with_check_character
from enterprises.models import AnnualIndicator, Enterprise
from portal.tests.factories import RegionFactory


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: with_check_character(f"91640500{n:09d}"))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    region = factory.SubFactory(RegionFactory)
    industry_code = "C3911"
    registered_on = datetime.date(2015, 5, 1)
    size_class = Enterprise.SizeClass.SMALL


class AnnualIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualIndicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    operating_revenue = 5000
    main_business_revenue = 4800
    rd_expense = 200
    employees = 120
    rd_staff = 15
