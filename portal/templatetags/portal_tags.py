from django import template
from django.http import QueryDict

from portal.shell import shell_html_cached

register = template.Library()


class ShellFragmentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)  # none on a page served without the middleware (a static 404)
        if user is None or not user.is_authenticated:
            return self.nodelist.render(context)
        return shell_html_cached(
            request,
            context.get("shell_section", ""),
            lambda: self.nodelist.render(context),
            search_q=context.get("search_q") or "",
        )


@register.tag
def shell_fragment(parser, token):
    """``{% shell_fragment %}…{% endshell_fragment %}``: the toolbar and menu, cached per user, language
    and section under the shell's versions (portal/shell.py). Whatever is inside must not depend on
    the request beyond those: no CSRF input, no current path (templates/includes/_shell_forms.html)."""
    nodelist = parser.parse(("endshell_fragment",))
    parser.delete_first_token()
    return ShellFragmentNode(nodelist)


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
