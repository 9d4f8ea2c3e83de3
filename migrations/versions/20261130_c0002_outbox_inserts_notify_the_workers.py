"""outbox inserts notify the workers (PostgreSQL LISTEN/NOTIFY)

Create Date: 2026-11-30 11:00:00

On PostgreSQL a statement-level trigger on each outbox table (the search outbox, the
webhook deliveries) notifies the channel `platform_worker` with the table's name; the
notification reaches the listening `flask worker` processes when the transaction commits,
and never if it rolls back. PostgreSQL sends one per transaction however many statements
inserted. SQLite has no such thing: the embedded worker thread is woken in process.
A trigger is not a model object: autogenerate neither sees nor compares it.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c0002"
down_revision = "fk0003"

CHANNEL = "platform_worker"  # coalition.worker.CHANNEL at the time of this revision
TABLES = ("search_outbox", "federation_webhook_deliveries")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION platform_notify_worker() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_worker AFTER INSERT ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION platform_notify_worker()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_worker ON {table}")
    op.execute("DROP FUNCTION platform_notify_worker()")
