"""`flask db …` is Flask-Migrate's group, loaded when it is called (not by every worker)."""

from __future__ import annotations


def test_flask_db_offers_flask_migrate_s_options_and_commands(make_app, db):
    app = make_app()
    assert "migrate" not in app.extensions  # nothing loaded yet
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["db", "--help"])
    assert shown.exit_code == 0, shown.output
    assert "--x-arg" in shown.output and "upgrade" in shown.output
    heads = runner.invoke(args=["db", "heads"])
    assert heads.exit_code == 0, heads.output
    assert app.extensions["migrate"].directory.endswith("migrations")


def test_the_db_group_without_the_flask_command_says_how_to_run_it():
    from click.testing import CliRunner

    from coalition.migrations import MigrationCommands

    result = CliRunner().invoke(MigrationCommands("db"), ["heads"])
    assert result.exit_code != 0
    assert "flask db" in result.output
