"""Lindung's URLs plus a bare "hello" view: the yardstick of the dashboard throughput."""

from django.http import HttpResponse
from django.urls import path

from lindung.urls import urlpatterns as lindung_urlpatterns


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("bench-hello/", hello), *lindung_urlpatterns]
