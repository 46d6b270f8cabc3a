"""Django's own form messages, kept in the portal's catalogs (locale/).

Apps' catalogs take precedence over Django's, and Django REST framework's translate some of Django's
form messages differently ("Este campo es requerido." for "This field is required."). The portal's
catalogs come first of all (LOCALE_PATHS), so these msgids, with Django's translations, keep every
form of the portal and of the API saying what Django says. Listed here so that ``make messages``
keeps them.
"""

from django.utils.translation import gettext_noop

DJANGO_FORM_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
)
