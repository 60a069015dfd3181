import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from stagekans.settings.env import DECLARED, get

SETTINGS_DIR = Path(__file__).resolve().parents[2] / "settings"


def test_envhelp_lists_every_declared_variable():
    out = StringIO()
    call_command("envhelp", stdout=out)
    for var in DECLARED:
        assert var.name in out.getvalue()
        assert var.help


def test_settings_read_only_declared_variables():
    """Settings never read os.environ directly; every variable goes through env.get()."""
    names = {var.name for var in DECLARED}
    for path in SETTINGS_DIR.glob("*.py"):
        text = path.read_text()
        for name in re.findall(r'get\("([A-Z_]+)"\)', text):
            assert name in names, f"{path.name} reads undeclared {name}"
        if path.name != "env.py":
            assert "os.environ" not in text, path.name


def test_list_defaults_are_split(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    assert get("DJANGO_ALLOWED_HOSTS") == ["127.0.0.1", "localhost"]
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.nl,b.nl")
    assert get("DJANGO_ALLOWED_HOSTS") == ["a.nl", "b.nl"]
