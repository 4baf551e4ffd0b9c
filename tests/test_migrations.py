"""Every migration is reversible: the whole schema goes to zero and back on a database holding data."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article
from tests.builders import make_article, make_author, make_image, make_section


@pytest.mark.django_db(transaction=True)
def test_all_migrations_reverse_to_zero_and_apply_again_with_data_present(django_user_model):
    django_user_model.objects.create_user("editor", is_staff=True)
    make_article(
        section=make_section(),
        authors=[make_author()],
        lead_image=make_image(),
        people=["Vladimir Putin"],
        places=["Moscow"],
        events=["State visit"],
    )
    make_article(status="draft", published_at=None, people=["Vladimir Putin"])

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    applied = set(executor.loader.applied_migrations)
    assert applied >= set(leaves)

    # Backwards: every operation of every app must have a reverse (IrreversibleError otherwise).
    executor.migrate([(app, None) for app in {app for app, _ in leaves}])
    executor.loader.build_graph()
    assert not executor.loader.applied_migrations
    assert Article._meta.db_table not in connection.introspection.table_names()

    # …and forwards again, to the same state.
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    executor.loader.build_graph()
    assert set(executor.loader.applied_migrations) == applied
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(
        0, False, connection.alias
    )  # content types and permissions, as `migrate` makes them

    # Nothing is left for makemigrations to write, and the schema takes data again.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    assert make_article(people=["Xi Jinping"]).people.count() == 1
