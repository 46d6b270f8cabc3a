"""Demo news for ``seed_demo`` (idempotent: looked up by title)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import News, NewsCategory

if TYPE_CHECKING:
    from accounts.models import User

CATEGORIES = {
    "Organization": ("Organização", "Organización"),
    "System": ("Sistema", "Sistema"),
}
# (category, days ago, en title, pt-br title, es title, en text, pt-br text, es text)
NEWS = [
    (
        "System",
        1,
        "Smart Portal now has notifications",
        "O Smart Portal agora tem notificações",
        "Smart Portal ahora tiene notificaciones",
        "The bell in the toolbar shows the **notifications** that need your confirmation.",
        "O sino da barra mostra as **notificações** que precisam da sua confirmação.",
        "La campana de la barra muestra las **notificaciones** que requieren su confirmación.",
    ),
    (
        "Organization",
        3,
        "Service desk hours during the holidays",
        "Horário do service desk nos feriados",
        "Horario del service desk en los feriados",
        "From December 24 to January 2 the service desk answers from 09:00 to 15:00.",
        "De 24 de dezembro a 2 de janeiro o service desk atende das 09:00 às 15:00.",
        "Del 24 de diciembre al 2 de enero el service desk atiende de 09:00 a 15:00.",
    ),
    (
        "System",
        8,
        "Printing from phones",
        "Impressão pelo celular",
        "Impresión desde el teléfono",
        "Printers on every floor now accept jobs sent from phones on the corporate network.",
        "As impressoras de todos os andares aceitam trabalhos enviados do celular na rede corporativa.",
        "Las impresoras de todos los pisos aceptan trabajos enviados desde el teléfono en la red "
        "corporativa.",
    ),
    (
        "Organization",
        15,
        "Welcome to the new offices",
        "Bem-vindos aos novos escritórios",
        "Bienvenidos a las nuevas oficinas",
        "The second floor is open: ask the service desk for a badge and a desk phone.",
        "O segundo andar está aberto: peça ao service desk um crachá e um ramal.",
        "El segundo piso está abierto: pida al service desk una credencial y un teléfono.",
    ),
]


def seed_news(*, actor: User | None = None) -> list[News]:
    now = timezone.now()
    categories = {}
    for title, (pt, es) in CATEGORIES.items():
        categories[title], _created = NewsCategory.objects.get_or_create(
            title=title, defaults={"title_pt_br": pt, "title_es": es}
        )
    items = []
    for category, days, en, pt, es, text_en, text_pt, text_es in NEWS:
        item, _created = News.objects.get_or_create(
            title=en,
            defaults={
                "category": categories[category],
                "title_pt_br": pt,
                "title_es": es,
                "description": text_en,
                "description_pt_br": text_pt,
                "description_es": text_es,
                "published_at": now - timedelta(days=days),
                "created_by": actor,
                "updated_by": actor,
            },
        )
        items.append(item)
    return items
