"""The two approval e-mail templates (admin-editable; found by name, approvals/services.py), in the
three languages, and the index the Approvals list reads tickets awaiting approval through."""

from django.db import migrations

from approvals.email_templates import email_templates_ensure

def create_templates(apps, schema_editor):
    email_templates_ensure(
        template_model=apps.get_model("notifications", "EmailTemplate"),
        translation_model=apps.get_model("notifications", "EmailTemplateTranslation"),
    )


PENDING_INDEX = (
    "CREATE INDEX approval_pending_tickets ON tickets_ticket (current_group_id, created_at DESC, id DESC) "
    "WHERE situation = 'registered' AND current_task = 'approval'"
)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("notifications", "0001_initial"),
        ("tickets", "0004_search_trigram_indexes"),
    ]

    operations = [
        migrations.RunPython(create_templates, migrations.RunPython.noop),
        # A partial index of the (few) tickets awaiting approval, by group, newest first: the
        # Approvals list and the menu count read it instead of the attendants' group index.
        migrations.RunSQL(PENDING_INDEX, "DROP INDEX approval_pending_tickets"),
    ]
