"""URLconf of the bare baseline: ``/bare/<pk>/`` reads one row by primary key."""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path


def bare(request, pk: int):
    ct = ContentType.objects.get(pk=pk)
    return HttpResponse(f"{ct.pk} {ct.app_label}.{ct.model}", content_type="text/plain")


urlpatterns = [path("bare/<int:pk>/", bare)]
