# Indexes for listings at magazine scale (issue 5).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_admin_names'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['id', 'status', 'published_at'], name='article_id_visibility_idx'),
        ),
        migrations.AddIndex(
            model_name='articleauthor',
            index=models.Index(fields=['author', 'article'], name='author_articles_idx'),
        ),
    ]
