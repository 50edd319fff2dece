"""`python -m bot.web`: the web app with settings from the environment (started by bot/launcher.py)."""
from bot.web.app import run
from bot.web.settings import WebSettings

if __name__ == "__main__":
    run(WebSettings.from_env())
