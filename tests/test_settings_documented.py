"""Every setting is documented in the README, with its environment variable."""

from catalog.settings import PROJECT_ROOT, Settings


def test_every_setting_is_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.alias and f"`{field.alias}`" in readme, (
            f"setting {name} ({field.alias}) is not in the README"
        )
        assert field.description, f"setting {name} has no help text"
