"""A two-page site for the test of the crawl: a list linking to a detail that shows a raw field name."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

DETAIL = engines["django"].from_string(
    "<html><body><h1>企业详情</h1><table>{% for name, value in values.items %}"
    "<tr><td>{{ name }}</td><td>{{ value }}</td></tr>{% endfor %}</table></body></html>"
)


def listing(request):
    return HttpResponse('<html><body><a href="/planted/7/">中卫东方电子材料有限公司</a></body></html>')


def detail(request, pk):
    return HttpResponse(DETAIL.render({"values": {"operating_revenue": "2389.44"}}))


urlpatterns = [path("", listing), path("planted/<int:pk>/", detail)]
