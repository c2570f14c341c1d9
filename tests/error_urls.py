"""The site's URLs plus one view that fails, for the test of the 500 page."""

from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
