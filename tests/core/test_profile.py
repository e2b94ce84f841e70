"""The hub profile: one precedence (flag > environment > settings > default) for every field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from retouch.core import errors as E
from retouch.core.hub_client import DEFAULT_BASE_URL
from retouch.core.profile import (
    DEMO_OUTPUTS,
    DemoHub,
    HubProfile,
    KeySource,
    ProfileFlags,
    resolve,
)
from retouch.core.settings import Settings

LEVELS = ("flag", "environment", "settings", "default")

# For each field: the value every level gives (None = that level has no way to set it), the
# way to read it back from a profile, and the default.
FIELDS: dict[str, dict[str, Any]] = {
    "base_url": {
        "flag": ("api_base", "https://flag.example/api"),
        "environment": ("RETOUCH_API_BASE", "https://env.example/api"),
        "settings": ("api_base", "https://settings.example/api"),
        "default": DEFAULT_BASE_URL,
        "read": lambda p: p.base_url,
    },
    "upload": {
        "flag": ("upload", "oxen:flag/repo"),
        "environment": ("RETOUCH_UPLOAD", "oxen:env/repo"),
        "settings": ("upload", "oxen:settings/repo"),
        "default": "data-uri",
        "read": lambda p: p.upload,
    },
    "output_dir": {
        "flag": ("output_dir", Path("/flag/out")),
        "environment": None,
        "settings": ("output_dir", "/settings/out"),
        "default": "DATA/outputs",
        "read": lambda p: str(p.output_dir),
    },
    "use_queue": {
        "flag": ("use_queue", False),
        "environment": None,
        "settings": ("use_queue", False),
        "default": True,
        "read": lambda p: p.use_queue,
    },
}


def sources(field: str, levels: tuple[str, ...], data: Path) -> dict[str, Any]:
    spec = FIELDS[field]
    flags: dict[str, Any] = {}
    env: dict[str, str] = {"RETOUCH_DATA_DIR": str(data)}
    settings: dict[str, Any] = {}
    for level in levels:
        given = spec.get(level) if level != "default" else None
        if given is None:
            continue
        name, value = given
        {"flag": flags, "environment": env, "settings": settings}[level][name] = value
    return {"flags": ProfileFlags(**flags), "environment": env, "settings": settings}


def expected(field: str, level: str, data: Path) -> Any:
    spec = FIELDS[field]
    if level == "default":
        default = spec["default"]
        return str(data / "outputs") if default == "DATA/outputs" else default
    value = spec[level][1]
    return str(value) if isinstance(value, Path) else value


@pytest.mark.parametrize(
    ("field", "top"),
    [(f, level) for f in FIELDS for level in LEVELS if level == "default" or FIELDS[f][level]],
)
def test_every_field_follows_one_precedence(field: str, top: str, tmp_path: Path) -> None:
    """With every level from *top* down given a value, *top*'s value wins."""
    spec = FIELDS[field]
    present = LEVELS[LEVELS.index(top) :]
    profile = resolve(**sources(field, present, tmp_path))
    assert spec["read"](profile) == expected(field, top, tmp_path)
    assert profile.origins[field] == top


@pytest.mark.parametrize("field", ["base_url", "upload"])
def test_an_empty_value_counts_as_not_given(field: str, tmp_path: Path) -> None:
    name_flag, _ = FIELDS[field]["flag"]
    name_env, _ = FIELDS[field]["environment"]
    name_set, value = FIELDS[field]["settings"]
    profile = resolve(
        {name_set: value},
        {name_env: "  ", "RETOUCH_DATA_DIR": str(tmp_path)},
        ProfileFlags(**{name_flag: ""}),
    )
    assert FIELDS[field]["read"](profile) == value
    assert profile.origins[field] == "settings"


def test_the_key_environment_beats_the_keyring(memory_keyring: Any) -> None:
    from retouch.core.secrets import set_api_key

    set_api_key("stored-key")
    stored = resolve({}, {})
    assert (stored.api_key(), stored.key.where, stored.origins["key"]) == (
        "stored-key",
        "keyring",
        "settings",
    )
    from_env = resolve({}, {"OXEN_API_KEY": " env-key "})
    assert (from_env.api_key(), from_env.key.where, from_env.origins["key"]) == (
        "env-key",
        "env",
        "environment",
    )
    none = resolve({}, {}, stored_key=lambda: (None, "none"))
    assert none.api_key() is None and none.key.origin == "none"
    with pytest.raises(E.MissingKeyError, match=r"No API key\. Set OXEN_API_KEY"):
        none.require_key()


def test_the_keyring_is_read_once_and_only_when_asked() -> None:
    reads: list[int] = []

    def reader() -> tuple[str | None, str]:
        reads.append(1)
        return "k-123456", "keyring"

    profile = resolve({}, {}, stored_key=reader)
    assert reads == []  # resolving never touches the keyring (it may prompt to unlock)
    assert profile.api_key() == "k-123456" and profile.api_key() == "k-123456"
    assert reads == [1]


def test_the_key_is_never_shown(tmp_path: Path) -> None:
    profile = resolve({}, {"OXEN_API_KEY": "sekrit-key-1234", "RETOUCH_DATA_DIR": str(tmp_path)})
    assert profile.api_key() == "sekrit-key-1234"
    for text in (repr(profile), str(profile), repr(profile.key), str(profile.describe())):
        assert "sekrit" not in text
    assert profile.describe()["key"] == "set (from environment)"


def test_demo_overrides_hub_key_upload_and_the_output_folder_only(tmp_path: Path) -> None:
    profile = resolve(
        {"api_base": "https://settings.example/api", "upload": "oxen:s/r", "use_queue": False},
        {
            "RETOUCH_API_BASE": "https://env.example/api",
            "RETOUCH_UPLOAD": "oxen:e/r",
            "OXEN_API_KEY": "real-key",
            "RETOUCH_DATA_DIR": str(tmp_path),
        },
        ProfileFlags(api_base="https://flag.example/api", output_dir=tmp_path / "o"),
        DemoHub("http://127.0.0.1:5555/api", "demo-key"),
    )
    assert (profile.base_url, profile.api_key(), profile.upload) == (
        "http://127.0.0.1:5555/api",
        "demo-key",
        "data-uri",
    )
    assert profile.demo and profile.key.where == "demo"
    assert {profile.origins[f] for f in ("base_url", "key", "upload", "output_dir")} == {"demo"}
    # Demo results are kept apart from paid ones, whatever the flags and settings say.
    assert profile.output_dir == tmp_path / DEMO_OUTPUTS and profile.use_queue is False


def test_a_bad_demo_hub_address_is_refused_too() -> None:
    with pytest.raises(E.ConfigError, match="must use https://"):
        resolve({}, {}, demo=DemoHub("http://demo.example.com/api", "k"))


def test_the_data_folder_comes_from_retouch_data_dir(tmp_path: Path) -> None:
    profile = resolve({}, {"RETOUCH_DATA_DIR": str(tmp_path / "d")})
    assert profile.data_dir == tmp_path / "d"
    assert profile.output_dir == tmp_path / "d" / "outputs"
    assert profile.cache_dir == tmp_path / "d" / "cache"
    assert profile.history_dir == tmp_path / "d" / "history"
    assert profile.origins["data_dir"] == "environment"
    assert not (tmp_path / "d").exists()  # resolving creates nothing
    assert profile.ensure_cache_dir().is_dir()


def test_real_settings_object_is_read(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("api_base", " https://saved.example/api/ ")
    settings.set("output_dir", str(tmp_path / "saved"))
    profile = resolve(settings, {"RETOUCH_DATA_DIR": str(tmp_path)})
    assert profile.base_url == "https://saved.example/api"
    assert profile.output_dir == tmp_path / "saved"
    assert profile.origins["base_url"] == profile.origins["output_dir"] == "settings"


@pytest.mark.parametrize(
    ("where", "sources_", "names"),
    [
        ("flag", {"flags": ProfileFlags(api_base="http://evil.example/api")}, "--api-base"),
        ("environment", {"environment": {"RETOUCH_API_BASE": "ftp://x"}}, "RETOUCH_API_BASE"),
        ("settings", {"settings": {"api_base": "http://evil.example"}}, "Settings → Hub address"),
        ("flag", {"flags": ProfileFlags(upload="s3://bucket")}, "--upload"),
        ("environment", {"environment": {"RETOUCH_UPLOAD": "oxen:nope"}}, "RETOUCH_UPLOAD"),
        ("settings", {"settings": {"upload": "dropbox"}}, "Settings → Send inputs"),
        ("settings", {"settings": {"use_queue": "yes"}}, "the use_queue setting"),
        ("settings", {"settings": {"output_dir": 7}}, "Settings → Save results to"),
    ],
)
def test_bad_values_are_config_errors_naming_their_source(
    where: str, sources_: dict[str, Any], names: str
) -> None:
    with pytest.raises(E.ConfigError) as caught:
        resolve(**sources_)
    assert names in caught.value.message
    assert caught.value.exit_code == E.EXIT_USAGE


def test_fixed_profile_validates_like_resolve(tmp_path: Path) -> None:
    with pytest.raises(E.ConfigError, match="must use https://"):
        HubProfile.fixed("http://hub.example.com/api", "k")
    with pytest.raises(E.ConfigError, match="not understood"):
        HubProfile.fixed("https://hub.example.com/api", "k", upload="s3://x")
    profile = HubProfile.fixed(
        "https://hub.example.com/api/", "k-1234", output_dir=tmp_path, cache_dir=tmp_path / "c"
    )
    assert profile.base_url == "https://hub.example.com/api"
    assert (profile.output_dir, profile.cache_dir) == (tmp_path, tmp_path / "c")
    assert profile.api_key() == "k-1234" and profile.key.where == "given"


def test_ensure_output_dir_refuses_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    profile = HubProfile.fixed("https://hub.example.com/api", "k", output_dir=blocker / "out")
    with pytest.raises(E.InputError, match="cannot be used"):
        profile.ensure_output_dir()


def test_key_source_fixed_without_key() -> None:
    source = KeySource.fixed("")
    assert source.get() is None and source.where == "none" and source.origin == "none"


# -- the callers: every one resolves through the profile ------------------------------------


def test_cli_reads_the_window_settings_and_env_beats_them(
    fake_hub: Any, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`retouch edit` used to ignore Settings; now Settings → Hub address applies to it,
    and RETOUCH_API_BASE still wins over it."""
    from PIL import Image

    from retouch.cli import run_edit

    photo = tmp_path / "p.png"
    Image.new("RGB", (32, 24), (1, 2, 3)).save(photo)
    monkeypatch.setenv("OXEN_API_KEY", "test-key")
    settings = Settings(isolated_env)
    settings.set("api_base", fake_hub.base_url)
    settings.set("output_dir", str(tmp_path / "from-settings"))
    assert run_edit([str(photo), "-p", "x", "-q", "-r", "1024x768", "--no-queue"]) == 0
    assert len(fake_hub.edit_requests()) == 1
    assert len(list((tmp_path / "from-settings").glob("*.png"))) == 1

    monkeypatch.setenv("RETOUCH_API_BASE", "http://hub.example.com/api")  # env > settings
    assert run_edit([str(photo), "-p", "x", "-q"]) == E.EXIT_USAGE
    assert len(fake_hub.edit_requests()) == 1  # nothing sent


def test_retouch_upload_applies_to_the_cli_and_a_bad_one_sends_nothing(
    hub_env: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from PIL import Image

    from retouch.cli import run_edit

    photo = tmp_path / "p.png"
    Image.new("RGB", (32, 24), (1, 2, 3)).save(photo)
    monkeypatch.setenv("RETOUCH_UPLOAD", "s3://bucket")
    assert run_edit([str(photo), "-p", "x", "-q", "-o", str(tmp_path / "o")]) == E.EXIT_USAGE
    assert "It comes from RETOUCH_UPLOAD" in capsys.readouterr().err
    assert hub_env.requests == []
