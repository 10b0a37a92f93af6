from regioverhalen.cli.main import run

run()
