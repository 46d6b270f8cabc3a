"""Every URL pattern of the project, found by walking the URL resolver (includes and the admin
included), with what is needed to request it: shared by the URL-wide authorization matrix
(test_url_matrix.py) and the id test (test_ids_everywhere.py)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from core.converters import IdConverter

ROLES = (
    "anonymous",
    "requester",  # the end user who owns the data (the ticket's requester, the chat's, the notification's …)
    "other_user",  # another end user
    "approver",  # a member of the approver group of the awaiting ticket
    "substitute",  # the substitute of the absent approver, while the absence runs
    "group_attendant",  # staff of the executor group of the requester's tickets
    "far_attendant",  # staff of another executor group
    "staff",  # staff in no group and without model permissions
    "superuser",
    # issue 27 (request sharing COLLEAGUES; tests/factories.py sharing_roles)
    "colleague",  # a member of the requester's unit
    "unit_manager",  # the manager of the unit above the requester's
    "person_in_copy",  # in copy of the requester's open and closed tickets
)

# Path parameters that carry a primary key without our converter: Django's admin's own (ModelAdmin's
# ``<path:object_id>``, UserAdmin's ``<id>/password/``, AdminSite's
# ``r/<path:content_type_id>/<path:object_id>/``); the admin looks them up safely (the test proves it).
ADMIN_ID_PARAMS = {"object_id", "content_type_id", "id"}
# Sensible values of the path parameters that are not ids.
NOT_IDS = {
    "token": "not-a-token",
    "key": str(uuid.UUID(int=0)),
    "action": "suspend",
    "app_label": "tickets",
    "url": "no-such-page/",
}
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    parts: tuple[str, ...]  # the pattern of each level: the include prefixes, then the view's own
    name: str | None  # "namespace:name", or None for the admin's unnamed catch-all redirects
    pattern: URLPattern

    @property
    def route(self) -> str:
        return "".join(self.parts)

    @property
    def is_admin(self) -> bool:
        return self.parts[0] == "admin/"

    @property
    def param_names(self) -> list[str]:
        names = []
        for part in self.parts:
            regex = _REGEX_PARAM if "(?P<" in part else _ROUTE_PARAM
            names += [m["name"] for m in regex.finditer(part)]
        return names

    def id_params(self) -> set[str]:
        """The parameters that carry a primary key: ours (``<id:…>``) and the admin's."""
        converters = self.pattern.pattern.converters
        return {
            name
            for name in self.param_names
            if isinstance(converters.get(name), IdConverter) or name in ADMIN_ID_PARAMS
        }

    def path(self, **values: object) -> str:
        """The path with each parameter replaced by ``values[name]``, whatever its converter accepts
        (so that a value the converter refuses can be requested too)."""
        out = []
        for part in self.parts:
            if "(?P<" in part:
                part = _REGEX_PARAM.sub(
                    lambda m: str(values[m["name"]]), part.removeprefix("^").removesuffix("$")
                )
            else:
                part = _ROUTE_PARAM.sub(lambda m: str(values[m["name"]]), part)
            out.append(part)
        return "/" + "".join(out)


def _walk(patterns, parts: tuple[str, ...], namespace: str | None):
    for p in patterns:
        pattern = p.pattern
        text = pattern._regex if isinstance(pattern, RegexPattern) else str(pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, (*parts, text), ns)
        elif isinstance(p, URLPattern):
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield Route((*parts, text), name, p)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, (), None))
