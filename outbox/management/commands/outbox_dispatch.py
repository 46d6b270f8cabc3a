from django.core.management.base import BaseCommand

from outbox.services import email_dispatch_pending


class Command(BaseCommand):
    help = (
        "Enqueue the outbox e-mails left PENDING (what the beat task does every "
        "OUTBOX_DISPATCH_EVERY seconds). Without a broker, sends them in-process: use it from cron "
        "when no beat runs."
    )

    def handle(self, *args, **options):
        count = email_dispatch_pending()
        self.stdout.write(self.style.SUCCESS(f"{count} e-mail(s) enqueued."))
