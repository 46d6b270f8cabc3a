from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some keys replaced (None removes a key): keeps filters across pages."""
    request = context["request"]
    q: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            q.pop(key, None)
        else:
            q[key] = value
    return q.urlencode()
