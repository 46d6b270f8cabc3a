from django.core.management.base import BaseCommand

from knowledge.services import review_warnings_queue, search_log_purge


class Command(BaseCommand):
    help = (
        "The Knowledge Portal's daily work (what the beat tasks do): e-mail the authors of articles whose "
        "review date is parameter 78 days away, once each, and delete the searches older than parameter "
        "359 days. Safe to run more than once a day."
    )

    def handle(self, *args, **options):
        warned = review_warnings_queue()
        purged = search_log_purge()
        self.stdout.write(
            self.style.SUCCESS(f"{warned} review warning(s) queued, {purged} search(es) deleted.")
        )
