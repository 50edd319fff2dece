"""The web app: the office's demo page with the chat widget, the hotline operator console and
the feedback report. Built by `bot.web.app.create_app(settings)`, run by `python -m bot.web`.

It sits beside the Rasa channels: the browser talks to Rasa's socket.io channel directly, and this
app serves the widget's files, stores 👍/👎 feedback and gives operators NLU search and lookups.
"""
