"""One Sanic blueprint per resource, mounted by ``bot.web.app.create_app``."""
