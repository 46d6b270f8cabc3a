"""The SAML identity provider's allauth settings, built from SAML_* (smartportal/settings/base.py).

Imported by the settings module: nothing here touches Django's models or settings. python3-saml's
metadata parser reads a metadata file; a metadata URL is fetched (and cached) by allauth at the first
login (allauth/socialaccount/providers/saml/utils.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The assertion attributes read for each user field: the common names of Keycloak, Entra ID / ADFS,
#: Okta and Shibboleth (the URN OIDs of eduPerson / X.500, and the WS-Federation claim names).
ATTRIBUTE_MAPPING: dict[str, list[str]] = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "email",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "urn:oid:1.2.840.113549.1.9.1",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "first_name": [
        "firstName",
        "givenName",
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "lastName",
        "surname",
        "sn",
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}


def idp_from_metadata_file(path: str) -> dict[str, Any]:
    """allauth's explicit ``idp`` settings (entity id, single sign-on URL, signing certificate) from
    an IdP metadata file."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    parsed = OneLogin_Saml2_IdPMetadataParser.parse(Path(path).read_text(encoding="utf-8"))["idp"]
    certificate = parsed.get("x509cert") or (parsed.get("x509certMulti") or {}).get("signing", [None])[0]
    if not certificate:
        raise ValueError(f"SAML_IDP_METADATA_FILE {path}: no signing certificate in the IdP's metadata")
    idp: dict[str, Any] = {
        "entity_id": parsed["entityId"],
        "sso_url": parsed["singleSignOnService"]["url"],
        "x509cert": certificate,
    }
    slo = (parsed.get("singleLogoutService") or {}).get("url")
    if slo:
        idp["slo_url"] = slo
    return idp


def saml_app_settings(
    *, metadata_url: str, metadata_file: str, sp_entity_id: str, groups_attribute: str, group_map: str
) -> dict[str, Any]:
    """One SAML app's settings: assertions must be signed (python3-saml's ``wantAssertionsSigned``,
    strict mode), a login the portal did not start is refused, users are keyed by the NameID."""
    idp = (
        {"metadata_url": metadata_url, "entity_id": None, "metadata_request_timeout": 5}
        if metadata_url
        else idp_from_metadata_file(metadata_file)
    )
    return {
        "idp": idp,
        "sp": {"entity_id": sp_entity_id},
        "attribute_mapping": ATTRIBUTE_MAPPING,
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "allow_single_label_domains": True,  # http://localhost in development
        },
        "groups_attribute": groups_attribute,
        "group_map": group_map,
    }
