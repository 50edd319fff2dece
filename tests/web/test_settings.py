"""The web app reads the launcher's environment, with `make run` defaults."""
from bot.web.settings import WebSettings


def test_the_launchers_variables_are_read() -> None:
    settings = WebSettings.from_env({
        "WEB_HOST": "0.0.0.0", "WEB_PORT": "9090", "RASA_URL": "http://127.0.0.1:5006/",
        "RASA_API_TOKEN": "t", "BACKEND_URL": "http://127.0.0.1:5081", "BACKEND_SERVICE_TOKEN": "b",
        "DATABASE_URL": "postgresql://db/fao", "FAO_STATE_DIR": "/srv/fao",
    })
    assert (settings.host, settings.port) == ("0.0.0.0", 9090)
    assert settings.rasa_url == settings.rasa_public_url == "http://127.0.0.1:5006"
    assert (settings.rasa_token, settings.backend_token) == ("t", "b")
    assert settings.database_url == "postgresql://db/fao"
    assert settings.tracker_db_url == "sqlite:////srv/fao/tracker.db"


def test_defaults_use_the_state_folder_for_both_databases() -> None:
    settings = WebSettings.from_env({"FAO_STATE_DIR": "/tmp/state"})
    assert settings.database_url == "sqlite:////tmp/state/backend.db"
    assert settings.tracker_db_url == "sqlite:////tmp/state/tracker.db"
    assert settings.port == 8080


def test_the_tracker_file_and_public_rasa_url_can_be_set_apart() -> None:
    settings = WebSettings.from_env({"TRACKER_DB": "/data/t.db", "RASA_PUBLIC_URL": "https://chat.example"})
    assert settings.tracker_db_url == "sqlite:////data/t.db"
    assert settings.rasa_public_url == "https://chat.example"
