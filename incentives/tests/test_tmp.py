import pytest
from django.urls import reverse
from incentives.tests.test_views import high_tech  # noqa
pytestmark = pytest.mark.django_db
def test_x(client, high_tech, finance_users):
    client.force_login(finance_users["xn_finance"])
    r = client.get(reverse("incentives:budget"))
    print(r.status_code, r.content.decode()[-3000:])
