"""The Knowledge Portal completed (issue 27 §3, docs/knowledge.md): public articles and review dates,
versions, ratings, favourites, moderated comments, the search log and deflections; and the review
e-mail template (knowledge/email_templates.py)."""

import django.db.models.deletion
import django.utils.timezone
import knowledge.models
from django.conf import settings
from django.db import migrations, models

from knowledge.email_templates import email_templates_ensure


def create_templates(apps, schema_editor):
    email_templates_ensure(
        template_model=apps.get_model("outbox", "EmailTemplate"),
        translation_model=apps.get_model("outbox", "EmailTemplateTranslation"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_units'),
        ('knowledge', '0001_initial'),
        ('outbox', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='public',
            field=models.BooleanField(default=False, help_text='With parameter 2702 (Public knowledge access) = Y, visitors who are not logged in can read it. Leave it off for anything internal.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='article',
            name='review_date',
            field=models.DateField(blank=True, help_text='When the text should be checked again. The author is e-mailed once, parameter 78 days before.', null=True, verbose_name='review date'),
        ),
        migrations.AddField(
            model_name='article',
            name='review_warned_for',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='review warning sent for'),
        ),
        migrations.CreateModel(
            name='ArticleComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000, verbose_name='comment')),
                ('status', models.CharField(choices=[('pending', 'Awaiting moderation'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created on')),
                ('moderated_at', models.DateTimeField(blank=True, null=True, verbose_name='moderated on')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='knowledge.article', verbose_name='article')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('moderated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='moderated by')),
            ],
            options={
                'verbose_name': 'article comment',
                'verbose_name_plural': 'article comments',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['article', 'status', 'created_at'], name='comment_article_status')],
            },
        ),
        migrations.CreateModel(
            name='ArticleRating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('helpful', models.BooleanField(verbose_name='helpful')),
                ('comment', models.CharField(blank=True, max_length=500, verbose_name='comment')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created on')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated on')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='knowledge.article', verbose_name='article')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'article rating',
                'verbose_name_plural': 'article ratings',
                'ordering': ['-updated_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('article', 'user'), name='articlerating_one_per_user')],
            },
        ),
        migrations.CreateModel(
            name='ArticleVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='version')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('title_pt_br', models.CharField(blank=True, max_length=200, verbose_name='title (Portuguese)')),
                ('title_es', models.CharField(blank=True, max_length=200, verbose_name='title (Spanish)')),
                ('summary', models.CharField(blank=True, max_length=300, verbose_name='summary')),
                ('summary_pt_br', models.CharField(blank=True, max_length=300, verbose_name='summary (Portuguese)')),
                ('summary_es', models.CharField(blank=True, max_length=300, verbose_name='summary (Spanish)')),
                ('body', models.TextField(verbose_name='text')),
                ('body_pt_br', models.TextField(blank=True, verbose_name='text (Portuguese)')),
                ('body_es', models.TextField(blank=True, verbose_name='text (Spanish)')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed on')),
                ('change', models.CharField(blank=True, max_length=300, verbose_name='what changed')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='knowledge.article', verbose_name='article')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
            ],
            options={
                'verbose_name': 'article version',
                'verbose_name_plural': 'article versions',
                'ordering': ['article', '-number'],
                'constraints': [models.UniqueConstraint(fields=('article', 'number'), name='articleversion_unique_number')],
            },
            bases=(knowledge.models.TranslatedTextMixin, models.Model),
        ),
        migrations.CreateModel(
            name='Deflection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='on')),
                ('article', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='knowledge.article', verbose_name='article')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.service', verbose_name='service')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'deflected request',
                'verbose_name_plural': 'deflected requests',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['service', 'created_at'], name='deflection_service_recent')],
            },
        ),
        migrations.CreateModel(
            name='Favourite',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='added on')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='favourites', to='knowledge.article', verbose_name='article')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='knowledge_favourites', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'favourite article',
                'verbose_name_plural': 'favourite articles',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', '-created_at', '-id'], name='favourite_user_recent')],
                'constraints': [models.UniqueConstraint(fields=('user', 'article'), name='favourite_one_per_user')],
            },
        ),
        migrations.CreateModel(
            name='SearchLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=100, verbose_name='search')),
                ('results', models.PositiveIntegerField(verbose_name='results')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='searched on')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'knowledge search',
                'verbose_name_plural': 'knowledge searches',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['term', 'created_at'], name='searchlog_term_recent')],
            },
        ),
        migrations.RunPython(create_templates, migrations.RunPython.noop),
    ]
